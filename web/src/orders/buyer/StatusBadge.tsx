// An order's status as a labelled badge: the words carry the meaning, the colour only repeats it.
import type { EnumOf } from "../../i18n/enums";
import { useLabels } from "../../i18n/labels";

const TONE: Record<EnumOf<"OrderStatus">, string> = {
  DRAFT: "badge badge-draft",
  OPEN: "badge badge-ok",
  AWARDED: "badge badge-ok",
  CANCELLED: "badge badge-danger",
  EXPIRED: "badge badge-warn",
};

export function StatusBadge({ status }: { status: EnumOf<"OrderStatus"> }) {
  const { label } = useLabels();
  return <span className={TONE[status]}>{label("OrderStatus", status)}</span>;
}
