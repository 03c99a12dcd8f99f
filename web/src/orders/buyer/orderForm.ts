// The guided order form's values and how they become the API's input. The API validates; this only turns
// what a person typed into the schema's types (and says so when a value cannot be typed at all).
import type { VariablesOf } from "../../graphql";
import type { EnumOf } from "../../i18n/enums";
import type { UserErrorLike } from "../../ui/forms";
import type { CreateOrderMutation, UpdateOrderMutation } from "./documents";

export const STEPS = ["what", "requirements", "bidding", "check"] as const;
export type StepId = (typeof STEPS)[number];

export function isStep(value: string | null): value is StepId {
  return (STEPS as readonly string[]).includes(value ?? "");
}

export interface OrderFormValues {
  organisationId: string;
  title: string;
  process: EnumOf<"Process"> | "";
  material: string;
  quantity: string;
  /** Optional: machine-hours the job takes, as the buyer estimates them (matching weighs capacity and price by it). */
  estimatedMachineHours: string;
  toleranceClass: EnumOf<"ToleranceClass"> | "";
  description: string;
  requiredCertifications: EnumOf<"CertificationStandard">[];
  needBy: string;
  deliveryRegion: string;
  /** As an <input type="datetime-local"> holds it: local time without a zone. */
  biddingDeadline: string;
  budgetMin: string;
  budgetMax: string;
  visibility: EnumOf<"Visibility">;
  allowSplit: boolean;
  budgetIncludesVat: boolean;
}

export const CURRENCY = "RUB";

export function emptyValues(organisationId = ""): OrderFormValues {
  return {
    organisationId,
    title: "",
    process: "",
    material: "",
    quantity: "",
    estimatedMachineHours: "",
    toleranceClass: "MEDIUM",
    description: "",
    requiredCertifications: [],
    needBy: "",
    deliveryRegion: "",
    biddingDeadline: "",
    budgetMin: "",
    budgetMax: "",
    visibility: "PUBLIC",
    allowSplit: false,
    budgetIncludesVat: true,
  };
}

/** Which step asks for each input field, in the API's spelling. */
const FIELD_STEP: Record<string, StepId> = {
  organisationId: "what",
  title: "what",
  process: "what",
  material: "what",
  quantity: "what",
  toleranceClass: "what",
  description: "what",
  estimatedMachineHours: "what",
  requiredCertifications: "requirements",
  needBy: "requirements",
  deliveryRegion: "requirements",
  biddingDeadline: "bidding",
  budgetMin: "bidding",
  budgetMax: "bidding",
  visibility: "bidding",
  invitedManufacturerIds: "bidding",
  allowSplit: "bidding",
  budgetIncludesVat: "bidding",
};

/** The step holding the field an API error names ("input.budgetMax", "budgetMax.amount"…), or null. */
export function stepOfField(field: string | null | undefined): StepId | null {
  if (!field) return null;
  const parts = field.split(".");
  for (let index = parts.length - 1; index >= 0; index -= 1) {
    const step = FIELD_STEP[parts[index]!];
    if (step) return step;
  }
  return null;
}

/** "1 250 000,50" -> "1250000.50"; null when it is not a plain amount. */
export function normaliseAmount(text: string): string | null {
  const plain = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  return /^\d+(\.\d{1,2})?$/.test(plain) ? plain : null;
}

/** "2026-12-20T18:00" in the browser's zone -> an ISO instant with its zone; null when incomplete. */
export function localToIso(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(local)) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function isoToLocal(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Messages (keys of the buyerOrders namespace) for values the schema's types cannot carry at all. */
export type TypingProblem = { field: string; key: "chooseProcess" | "wholeNumber" | "enterDate" | "enterDateTime" | "enterAmount" };

export function typingProblem(values: OrderFormValues): TypingProblem | null {
  if (!values.process) return { field: "process", key: "chooseProcess" };
  if (!/^\d+$/.test(values.quantity.trim())) return { field: "quantity", key: "wholeNumber" };
  if (!/^\d*$/.test(values.estimatedMachineHours.trim())) return { field: "estimatedMachineHours", key: "wholeNumber" };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.needBy)) return { field: "needBy", key: "enterDate" };
  if (!localToIso(values.biddingDeadline)) return { field: "biddingDeadline", key: "enterDateTime" };
  if (normaliseAmount(values.budgetMin) === null) return { field: "budgetMin", key: "enterAmount" };
  if (normaliseAmount(values.budgetMax) === null) return { field: "budgetMax", key: "enterAmount" };
  return null;
}

type CreateInput = VariablesOf<typeof CreateOrderMutation>["input"];
type UpdateInput = VariablesOf<typeof UpdateOrderMutation>["input"];

/** Only call after typingProblem(values) is null. */
export function toCreateInput(values: OrderFormValues, publish: boolean): CreateInput {
  return {
    organisationId: values.organisationId || null,
    title: values.title,
    description: values.description,
    process: values.process as EnumOf<"Process">,
    material: values.material,
    quantity: Number.parseInt(values.quantity.trim(), 10),
    estimatedMachineHours: values.estimatedMachineHours.trim()
      ? Number.parseInt(values.estimatedMachineHours.trim(), 10)
      : null,
    toleranceClass: values.toleranceClass || "MEDIUM",
    requiredCertifications: values.requiredCertifications,
    needBy: values.needBy,
    deliveryRegion: values.deliveryRegion,
    budgetMin: { amount: normaliseAmount(values.budgetMin)!, currency: CURRENCY },
    budgetMax: { amount: normaliseAmount(values.budgetMax)!, currency: CURRENCY },
    biddingDeadline: localToIso(values.biddingDeadline)!,
    visibility: values.visibility,
    allowSplit: values.allowSplit,
    budgetIncludesVat: values.budgetIncludesVat,
    publish,
  };
}

/** The fields that changed since the order was loaded: "omitted fields stay", and a published order
 * refuses changes to fields it freezes even when the value is the same. */
export function toUpdateInput(initial: OrderFormValues, values: OrderFormValues): UpdateInput {
  const full = toCreateInput(values, false);
  const input: UpdateInput = {};
  const changed = (key: keyof OrderFormValues) => JSON.stringify(initial[key]) !== JSON.stringify(values[key]);
  if (changed("title")) input.title = full.title;
  if (changed("description")) input.description = full.description;
  if (changed("process")) input.process = full.process;
  if (changed("material")) input.material = full.material;
  if (changed("quantity")) input.quantity = full.quantity;
  if (changed("estimatedMachineHours")) input.estimatedMachineHours = full.estimatedMachineHours;
  if (changed("toleranceClass")) input.toleranceClass = full.toleranceClass;
  if (changed("requiredCertifications")) input.requiredCertifications = full.requiredCertifications;
  if (changed("needBy")) input.needBy = full.needBy;
  if (changed("deliveryRegion")) input.deliveryRegion = full.deliveryRegion;
  if (changed("budgetMin") || changed("budgetMax")) {
    input.budgetMin = full.budgetMin;
    input.budgetMax = full.budgetMax;
  }
  if (changed("biddingDeadline")) input.biddingDeadline = full.biddingDeadline;
  if (changed("visibility")) input.visibility = full.visibility;
  if (changed("allowSplit")) input.allowSplit = full.allowSplit;
  if (changed("budgetIncludesVat")) input.budgetIncludesVat = full.budgetIncludesVat;
  return input;
}

export function typingError(problem: TypingProblem, message: string): UserErrorLike {
  return { __typename: "ValidationError", field: problem.field, message };
}
