// Every screen has a real URL. Areas are loaded on demand so that the first page stays small.
import { lazy } from "react";
import type { RouteObject } from "react-router";
import { RequireSignIn } from "./identity/RequireSignIn";
import { HomePage, NotFoundPage } from "./ui/HomePage";
import { Layout } from "./ui/Layout";

const page = <Name extends string>(load: () => Promise<Record<Name, React.ComponentType>>, name: Name) =>
  lazy(async () => ({ default: (await load())[name] }));

const SignInPage = page(() => import("./identity/SignInPage"), "SignInPage");
const SignUpPage = page(() => import("./identity/SignUpPage"), "SignUpPage");
const CompanyPage = page(() => import("./identity/CompanyPage"), "CompanyPage");
const ResetPasswordPage = page(() => import("./identity/ResetPasswordPage"), "ResetPasswordPage");
const VerifyEmailPage = page(() => import("./identity/VerifyEmailPage"), "VerifyEmailPage");
const DirectoryPage = page(() => import("./directory/DirectoryPage"), "DirectoryPage");
const SupplierPage = page(() => import("./directory/SupplierPage"), "SupplierPage");
const BoardPage = page(() => import("./board/BoardPage"), "BoardPage");
const RecommendedPage = page(() => import("./board/RecommendedPage"), "RecommendedPage");
const OrderPage = page(() => import("./orders/OrderPage"), "OrderPage");
const MyBidsPage = page(() => import("./bids/MyBidsPage"), "MyBidsPage");
const BidRedirect = page(() => import("./bids/BidRedirect"), "BidRedirect");
const NewOrderPage = page(() => import("./orders/buyer/NewOrderPage"), "NewOrderPage");
const EditOrderPage = page(() => import("./orders/buyer/EditOrderPage"), "EditOrderPage");
const MyOrdersPage = page(() => import("./orders/buyer/MyOrdersPage"), "MyOrdersPage");
const WhoFitsPage = page(() => import("./matching/WhoFitsPage"), "WhoFitsPage");
const ProfileLayout = page(() => import("./profile/ProfileLayout"), "ProfileLayout");
const CapabilitiesPage = page(() => import("./profile/CapabilitiesPage"), "CapabilitiesPage");
const CertificatesPage = page(() => import("./profile/CertificatesPage"), "CertificatesPage");
const CapacityPage = page(() => import("./profile/CapacityPage"), "CapacityPage");
const AccountPage = page(() => import("./profile/AccountPage"), "AccountPage");
const NotificationsPage = page(() => import("./notifications/NotificationsPage"), "NotificationsPage");
const NotificationSettingsPage = page(
  () => import("./notifications/NotificationSettingsPage"),
  "NotificationSettingsPage",
);
const PayPage = page(() => import("./payments/PayPage"), "PayPage");
const OperatorLayout = page(() => import("./operator/OperatorLayout"), "OperatorLayout");
const OperatorOverviewPage = page(() => import("./operator/OverviewPage"), "OverviewPage");
const VerificationPage = page(() => import("./operator/VerificationPage"), "VerificationPage");
const OperatorTaxesPage = page(() => import("./operator/TaxesPage"), "TaxesPage");
const PaymentsPage = page(() => import("./operator/PaymentsPage"), "PaymentsPage");
const ProviderPaymentsPage = page(() => import("./operator/ProviderPaymentsPage"), "ProviderPaymentsPage");
const DisputesPage = page(() => import("./operator/DisputesPage"), "DisputesPage");
const DisputePage = page(() => import("./operator/DisputePage"), "DisputePage");
const ContractsPage = page(() => import("./contracts/ContractsPage"), "ContractsPage");
const ContractRoomPage = page(() => import("./contracts/ContractRoomPage"), "ContractRoomPage");
const SavedSearchesPage = page(() => import("./savedSearches/SavedSearchesPage"), "SavedSearchesPage");

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "sign-in", element: <SignInPage /> },
      { path: "sign-up", element: <SignUpPage /> },
      { path: "reset-password", element: <ResetPasswordPage /> },
      { path: "verify-email", element: <VerifyEmailPage /> },
      { path: "company/:id", element: <RequireSignIn>{() => <CompanyPage />}</RequireSignIn> },
      { path: "suppliers", element: <DirectoryPage /> },
      { path: "suppliers/:id", element: <SupplierPage /> },
      { path: "orders", element: <RequireSignIn>{() => <BoardPage />}</RequireSignIn> },
      { path: "orders/recommended", element: <RequireSignIn>{() => <RecommendedPage />}</RequireSignIn> },
      { path: "orders/:id", element: <RequireSignIn>{() => <OrderPage />}</RequireSignIn> },
      { path: "my/bids", element: <RequireSignIn>{() => <MyBidsPage />}</RequireSignIn> },
      { path: "bids/:id", element: <RequireSignIn>{() => <BidRedirect />}</RequireSignIn> },
      { path: "orders/new", element: <RequireSignIn>{() => <NewOrderPage />}</RequireSignIn> },
      { path: "orders/:id/edit", element: <RequireSignIn>{() => <EditOrderPage />}</RequireSignIn> },
      { path: "orders/:id/suppliers", element: <RequireSignIn>{() => <WhoFitsPage />}</RequireSignIn> },
      { path: "my/orders", element: <RequireSignIn>{() => <MyOrdersPage />}</RequireSignIn> },
      {
        path: "profile",
        element: <RequireSignIn>{() => <ProfileLayout />}</RequireSignIn>,
        children: [
          { index: true, element: <CapabilitiesPage /> },
          { path: "certificates", element: <CertificatesPage /> },
          { path: "capacity", element: <CapacityPage /> },
        ],
      },
      { path: "account", element: <RequireSignIn>{() => <AccountPage />}</RequireSignIn> },
      { path: "notifications", element: <RequireSignIn>{() => <NotificationsPage />}</RequireSignIn> },
      {
        path: "notifications/settings",
        element: <RequireSignIn>{() => <NotificationSettingsPage />}</RequireSignIn>,
      },
      { path: "contracts/:id/pay", element: <RequireSignIn>{() => <PayPage />}</RequireSignIn> },
      { path: "contracts", element: <RequireSignIn>{() => <ContractsPage />}</RequireSignIn> },
      { path: "contracts/:id", element: <RequireSignIn>{() => <ContractRoomPage />}</RequireSignIn> },
      { path: "saved-searches", element: <RequireSignIn>{() => <SavedSearchesPage />}</RequireSignIn> },
      {
        path: "operator",
        element: <RequireSignIn>{() => <OperatorLayout />}</RequireSignIn>,
        children: [
          { index: true, element: <OperatorOverviewPage /> },
          { path: "verification", element: <VerificationPage /> },
          { path: "payments", element: <PaymentsPage /> },
          { path: "card-payments", element: <ProviderPaymentsPage /> },
          { path: "disputes", element: <DisputesPage /> },
          { path: "disputes/:id", element: <DisputePage /> },
          { path: "taxes", element: <OperatorTaxesPage /> },
        ],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
