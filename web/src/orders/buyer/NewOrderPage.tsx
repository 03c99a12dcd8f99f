// /orders/new: the guided form for a new order, saved as a draft or published straight away.
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { useMutation } from "urql";
import { organisationsOf, useViewer } from "../../identity/AuthProvider";
import { userErrorOf } from "../../ui/forms";
import { Empty } from "../../ui/States";
import { CreateOrderMutation } from "./documents";
import type { Notice } from "./notice";
import { OrderForm } from "./OrderForm";
import { emptyValues, toCreateInput } from "./orderForm";

export function NewOrderPage() {
  const { t } = useTranslation("buyerOrders");
  const { viewer } = useViewer();
  const navigate = useNavigate();
  const [, create] = useMutation(CreateOrderMutation);
  const buyers = organisationsOf(viewer).buyers;
  if (buyers.length === 0) {
    return (
      <section>
        <h1>{t("new.title")}</h1>
        <Empty>{t("new.noBuyer")}</Empty>
        {viewer?.memberships[0] ? (
          <Link to={`/company/${viewer.memberships[0].organisation.id}`}>{t("common:nav.company")}</Link>
        ) : null}
      </section>
    );
  }
  return (
    <section>
      <h1>{t("new.title")}</h1>
      <p className="lead">{t("new.lead")}</p>
      <OrderForm
        initial={emptyValues(buyers.length === 1 ? buyers[0]!.id : "")}
        buyers={buyers}
        actions={[
          { id: "draft", label: t("new.saveDraft") },
          { id: "publish", label: t("new.publish"), primary: true },
        ]}
        onSubmit={async (values, action) => {
          const result = await create({ input: toCreateInput(values, action === "publish") });
          const payload = result.data?.createOrder;
          if (payload?.__typename === "OrderSuccess") {
            const notice: Notice = { key: action === "publish" ? "published" : "draftSaved", title: payload.order.title };
            navigate("/my/orders", { state: { notice } });
            return null;
          }
          return userErrorOf(payload) ?? { message: result.error?.message ?? t("common:state.error") };
        }}
      />
    </section>
  );
}
