// One contract in "my contracts": the order, the other party, status, total and the next deadline.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { useDeadlineText } from "./Deadline";

export const ContractRowFragment = graphql(`
  fragment ContractRow on Contract {
    id
    status
    viewerParty
    createdAt
    total {
      amount
      currency
    }
    order {
      id
      title
    }
    buyer {
      id
      name
    }
    manufacturer {
      id
      name
    }
    deadline {
      at
      timer
    }
    availableActions {
      action
    }
  }
`);

export function ContractRow({ data }: { data: FragmentOf<typeof ContractRowFragment> }) {
  const { t } = useTranslation("contracts");
  const { label } = useLabels();
  const format = useFormat();
  const deadlineText = useDeadlineText();
  const contract = readFragment(ContractRowFragment, data);
  const other =
    contract.viewerParty === "MANUFACTURER"
      ? t("list.buyer", { name: contract.buyer.name })
      : contract.viewerParty === "BUYER"
        ? t("list.manufacturer", { name: contract.manufacturer.name })
        : `${t("list.buyer", { name: contract.buyer.name })} · ${t("list.manufacturer", { name: contract.manufacturer.name })}`;
  const waiting = contract.availableActions.filter((item) => item.action !== "REVIEW");
  return (
    <article className="card contract-row">
      <h2 className="card-title">
        <Link to={`/contracts/${encodeURIComponent(contract.id)}`}>{contract.order?.title ?? contract.id}</Link>{" "}
        <span className={`badge badge-status status-${contract.status.toLowerCase()}`}>
          {label("ContractStatus", contract.status)}
        </span>
      </h2>
      <p>{other}</p>
      <p>
        <strong>{format.money(contract.total)}</strong> <span className="muted">· {format.date(contract.createdAt)}</span>
      </p>
      {contract.deadline ? (
        <p className="deadline">
          <time dateTime={contract.deadline.at}>{deadlineText(contract.deadline)}</time>
        </p>
      ) : null}
      {waiting.length > 0 ? (
        <p className="badge badge-warn">{waiting.map((item) => label("ContractAction", item.action)).join(" · ")}</p>
      ) : null}
    </article>
  );
}
