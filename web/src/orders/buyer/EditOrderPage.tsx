// /orders/:id/edit: the buyer changes its order with the same guided form, publishes a draft, or cancels.
import { useCallback, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { OrderFilesFragment, OrderFilesSection, OrderFilesSidePanels } from "../../files/OrderFilesSection";
import { graphql, type ResultOf } from "../../graphql";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../../ui/forms";
import { Empty, LoadError, Loading } from "../../ui/States";
import {
  CancelOrderMutation,
  OrderFormFragment,
  PublishOrderMutation,
  UpdateOrderMutation,
  valuesOf,
} from "./documents";
import type { Notice } from "./notice";
import { OrderForm } from "./OrderForm";
import { toUpdateInput, type OrderFormValues } from "./orderForm";
import { StatusBadge } from "./StatusBadge";

const EditOrderQuery = graphql(
  `
    query EditOrder($id: ID!) {
      order(id: $id) {
        id
        title
        status
        viewerActions
        visibility
        buyer {
          id
          name
        }
        invitedManufacturers {
          id
          name
        }
        viewerCanEdit
        ...OrderFormOrder
        ...OrderFiles
      }
    }
  `,
  [OrderFormFragment, OrderFilesFragment],
);

export function EditOrderPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation("buyerOrders");
  const [result, refetch] = useQuery({ query: EditOrderQuery, variables: { id }, requestPolicy: "cache-and-network" });
  const refresh = useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]);
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const order = result.data?.order;
  if (!order) return <Empty>{t("common:state.notFound")}</Empty>;
  return <EditOrder key={order.id} order={order} onFilesChanged={refresh} />;
}

function EditOrder({
  order,
  onFilesChanged,
}: {
  order: NonNullable<ResultOf<typeof EditOrderQuery>["order"]>;
  onFilesChanged: () => void;
}) {
  const { t } = useTranslation("buyerOrders");
  const navigate = useNavigate();
  const [, update] = useMutation(UpdateOrderMutation);
  const [, publish] = useMutation(PublishOrderMutation);
  const [saved, setSaved] = useState(false);
  const initial = useRef<OrderFormValues>(valuesOf(order));
  // The API says what the order's state allows; the screen offers exactly that.
  const can = new Set(order.viewerActions);
  const editable = can.has("EDIT");
  const refusal = (payload: { __typename?: string } | null | undefined, error?: { message: string }) =>
    userErrorOf(payload) ?? { message: error?.message ?? t("common:state.error") };

  async function submit(values: OrderFormValues, action: string): Promise<UserErrorLike | null> {
    setSaved(false);
    const input = toUpdateInput(initial.current, values);
    if (Object.keys(input).length > 0) {
      const result = await update({ id: order.id, input });
      const payload = result.data?.updateOrder;
      if (payload?.__typename !== "OrderSuccess") return refusal(payload, result.error);
      initial.current = values;
    }
    if (action === "publish") {
      const result = await publish({ id: order.id });
      const payload = result.data?.publishOrder;
      if (payload?.__typename !== "OrderSuccess") return refusal(payload, result.error);
      const notice: Notice = { key: "published", title: payload.order.title };
      navigate("/my/orders", { state: { notice } });
      return null;
    }
    setSaved(true);
    return null;
  }

  return (
    <section>
      <header className="page-header">
        <h1>{t("edit.title", { title: order.title })}</h1>
        <p>
          {t("edit.status")}: <StatusBadge status={order.status} />
        </p>
        {order.visibility === "INVITED" && order.invitedManufacturers ? (
          <p>
            {order.invitedManufacturers.length
              ? t("edit.invited", {
                  count: order.invitedManufacturers.length,
                  names: order.invitedManufacturers.map((m) => m.name).join(", "),
                })
              : t("edit.noneInvited")}
          </p>
        ) : null}
        <p className="actions">
          <Link to={`/orders/${order.id}/suppliers`}>{t("edit.whoFits")}</Link>
          {order.status !== "DRAFT" ? <Link to={`/orders/${order.id}`}>{t("edit.view")}</Link> : null}
        </p>
      </header>
      {saved ? (
        <p className="success" role="status">
          {t("edit.saved")}
        </p>
      ) : null}
      {editable ? (
        <OrderForm
          initial={initial.current}
          buyers={[order.buyer]}
          buyerLocked
          allStepsReachable
          actions={[
            { id: "save", label: t("edit.save"), primary: !can.has("PUBLISH") },
            ...(can.has("PUBLISH") ? [{ id: "publish", label: t("edit.publish"), primary: true }] : []),
          ]}
          onSubmit={submit}
        />
      ) : (
        <Empty>{t("edit.notEditable")}</Empty>
      )}
      {/* Drawings, models and the NDA can be settled before the order is published. */}
      <div className="order-layout">
        <div>
          <OrderFilesSection data={order} canEdit={order.viewerCanEdit} onChanged={onFilesChanged} />
        </div>
        <div>
          <OrderFilesSidePanels data={order} canEdit={order.viewerCanEdit} onChanged={onFilesChanged} />
        </div>
      </div>
      {can.has("CANCEL") ? <CancelOrder orderId={order.id} /> : null}
    </section>
  );
}

function CancelOrder({ orderId }: { orderId: string }) {
  const { t } = useTranslation("buyerOrders");
  const navigate = useNavigate();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, cancel] = useMutation(CancelOrderMutation);
  const form = "cancel-order";

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await cancel({ id: orderId, reason });
    const payload = result.data?.cancelOrder;
    if (payload?.__typename === "OrderSuccess") {
      const notice: Notice = { key: "cancelled", title: payload.order.title };
      navigate("/my/orders", { state: { notice } });
    } else {
      setError(userErrorOf(payload) ?? { message: result.error?.message ?? t("common:state.error") });
    }
  }

  return (
    <section className="danger-zone" aria-labelledby="cancel-order-title">
      <h2 id="cancel-order-title">{t("edit.cancelTitle")}</h2>
      <p className="hint">{t("edit.cancelLead")}</p>
      <form onSubmit={submit} noValidate>
        <ErrorSummary form={form} error={error} />
        <Field form={form} name="reason" label={t("edit.reason")} hint={t("edit.reasonHint")} error={error}>
          {(props) => <textarea {...props} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <button type="submit" className="danger" disabled={state.fetching}>
          {t("edit.cancel")}
        </button>
      </form>
    </section>
  );
}
