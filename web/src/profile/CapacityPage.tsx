// Spare capacity: the weekly calendar of listed, held and free machine-hours, the listings behind it, and a
// form to list more. The weeks shown are in the URL (?from=), so a page of the calendar can be shared.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql } from "../graphql";
import { enumValues, type EnumOf } from "../i18n/enums";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { NumberInput } from "../ui/NumberInput";
import { CurrencySelect, EnumSelect } from "../ui/selects";
import { Empty, LoadError, Loading } from "../ui/States";
import { addDays, CalendarLegend, CapacityCalendar, CapacityWeekFragment, isoDate, mondayOf } from "./CapacityCalendar";
import { useProfileOrganisation } from "./ProfileLayout";
import { UserErrorFragment } from "../errors/userError";

const WEEKS = 12;

const CapacityQuery = graphql(
  `
    query Capacity($id: ID!, $from: Date, $weeks: Int!) {
      organisation(id: $id) {
        id
        capacity {
          id
          process
          machineHoursPerWeek
          availableFrom
          availableTo
          hourlyRate {
            amount
            currency
          }
        }
        capacityCalendar(fromWeek: $from, weeks: $weeks) {
          ...CapacityWeek
        }
      }
    }
  `,
  [CapacityWeekFragment],
);

const AddCapacityMutation = graphql(
  `
    mutation AddCapacityListing($input: CapacityListingInput!) {
      addCapacityListing(input: $input) {
        __typename
        ... on CapacityListingSuccess {
          capacityListing {
            id
            process
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

const RemoveCapacityMutation = graphql(
  `
    mutation RemoveCapacityListing($id: ID!) {
      removeCapacityListing(id: $id) {
        __typename
        ... on RemoveSuccess {
          removedId
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

function isDate(value: string | null): value is string {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

export function CapacityPage() {
  const { organisationId } = useProfileOrganisation();
  const { t } = useTranslation("profile");
  const format = useFormat();
  const { label } = useLabels();
  const [params, setParams] = useSearchParams();
  const from = isDate(params.get("from")) ? params.get("from") : null;
  const [result, refetch] = useQuery({
    query: CapacityQuery,
    variables: { id: organisationId, from, weeks: WEEKS },
  });
  const [, remove] = useMutation(RemoveCapacityMutation);
  const [notice, setNotice] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<UserErrorLike | null>(null);
  // A change is read back from the API: the listings and the calendar's free hours follow from it.
  const reload = () => refetch({ requestPolicy: "network-only" });
  const showWeeks = (monday: string | null) => {
    const next = new URLSearchParams(params);
    if (monday) next.set("from", monday);
    else next.delete("from");
    setParams(next);
  };

  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !result.data)
    return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const organisation = result.data?.organisation;
  if (!organisation) return <Empty>{t("common:state.notFound")}</Empty>;
  const calendar = organisation.capacityCalendar ?? [];
  const firstWeek = mondayOf(from ? new Date(`${from}T00:00:00`) : new Date());
  const period = (listing: { availableFrom: string; availableTo: string }) =>
    t("capacity.periodValue", { from: format.date(listing.availableFrom), to: format.date(listing.availableTo) });

  async function onRemove(listing: { id: string; process: EnumOf<"Process">; availableFrom: string; availableTo: string }) {
    setNotice(null);
    setRemoveError(null);
    const outcome = await remove({ id: listing.id });
    const payload = outcome.data?.removeCapacityListing;
    if (payload?.__typename === "RemoveSuccess") {
      reload();
      setNotice(t("capacity.removed"));
    } else setRemoveError(userErrorOf(payload) ?? (outcome.error ? { message: outcome.error.message } : null));
  }

  return (
    <>
      <p className="lead">{t("capacity.lead")}</p>
      <div aria-live="polite">
        {notice ? (
          <p className="success" role="status">
            {notice}
          </p>
        ) : null}
      </div>
      <section aria-labelledby="capacity-calendar">
        <div className="section-header">
          <h2 id="capacity-calendar">{t("capacity.calendar")}</h2>
          <CalendarLegend />
        </div>
        <p className="actions">
          <button type="button" onClick={() => showWeeks(addDays(firstWeek, -7 * WEEKS))}>
            ← {t("capacity.earlier")}
          </button>
          {from ? (
            <button type="button" onClick={() => showWeeks(null)}>
              {t("capacity.thisWeek")}
            </button>
          ) : null}
          <button type="button" onClick={() => showWeeks(addDays(firstWeek, 7 * WEEKS))}>
            {t("capacity.later")} →
          </button>
        </p>
        {calendar.length ? <CapacityCalendar data={calendar} /> : <Empty>{t("capacity.emptyCalendar")}</Empty>}
      </section>

      <section aria-labelledby="capacity-listings">
        <h2 id="capacity-listings">{t("capacity.listings")}</h2>
        <ErrorSummary form="capacity-remove" error={removeError} />
        {organisation.capacity.length === 0 ? (
          <Empty>{t("capacity.noListings")}</Empty>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("capacity.process")}</th>
                  <th scope="col" className="number">
                    {t("capacity.hoursPerWeek")}
                  </th>
                  <th scope="col">{t("capacity.period")}</th>
                  <th scope="col" className="number">
                    {t("capacity.hourlyRate")}
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">{t("capacity.remove")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {organisation.capacity.map((listing) => (
                  <tr key={listing.id}>
                    <th scope="row">{label("Process", listing.process)}</th>
                    <td className="number">{format.number(listing.machineHoursPerWeek)}</td>
                    <td>{period(listing)}</td>
                    <td className="number">{format.money(listing.hourlyRate)}</td>
                    <td>
                      <button
                        type="button"
                        className="small"
                        aria-label={t("capacity.removeLabel", {
                          process: label("Process", listing.process),
                          period: period(listing),
                        })}
                        onClick={() => onRemove(listing)}
                      >
                        {t("capacity.remove")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <CapacityForm
        organisationId={organisationId}
        onAdded={() => {
          reload();
          setNotice(t("capacity.added"));
        }}
      />
    </>
  );
}

/** A decimal typed the Russian or the English way ("1 250,50", "1250.50") as the API's decimal string. */
function decimal(text: string): string {
  return text.replace(/[\s\u00a0]/g, "").replace(",", ".");
}

function CapacityForm({ organisationId, onAdded }: { organisationId: string; onAdded: () => void }) {
  const { t } = useTranslation("profile");
  const today = isoDate(new Date());
  const empty = {
    process: enumValues("Process")[0] as EnumOf<"Process"> | "",
    machineHoursPerWeek: "",
    availableFrom: today,
    availableTo: "",
    amount: "",
    currency: "RUB",
  };
  const [values, setValues] = useState(empty);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, add] = useMutation(AddCapacityMutation);
  const form = "capacity";
  const set = (patch: Partial<typeof values>) => setValues((current) => ({ ...current, ...patch }));

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!values.process) return;
    const hours = Number(values.machineHoursPerWeek.trim());
    const result = await add({
      input: {
        organisationId,
        process: values.process,
        machineHoursPerWeek: values.machineHoursPerWeek.trim() && Number.isInteger(hours) ? hours : 0,
        availableFrom: values.availableFrom,
        availableTo: values.availableTo,
        hourlyRate: { amount: decimal(values.amount), currency: values.currency },
      },
    });
    const payload = result.data?.addCapacityListing;
    if (payload?.__typename === "CapacityListingSuccess") {
      setError(null);
      setValues(empty);
      onAdded();
    } else setError(userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null));
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="capacity-add">
      <h2 id="capacity-add">{t("capacity.add")}</h2>
      <ErrorSummary form={form} error={error} />
      <Field form={form} name="process" label={t("capacity.process")} error={error}>
        {(props) => (
          <EnumSelect {...props} enumName="Process" value={values.process} onChange={(process) => set({ process })} />
        )}
      </Field>
      <Field form={form} name="machineHoursPerWeek" label={t("capacity.hoursPerWeek")} error={error}>
        {(props) => (
          <NumberInput
            {...props}
            className="input-short"
            value={values.machineHoursPerWeek}
            onChange={(machineHoursPerWeek) => set({ machineHoursPerWeek })}
          />
        )}
      </Field>
      <div className="field-row">
        <Field form={form} name="availableFrom" label={t("capacity.availableFrom")} error={error}>
          {(props) => (
            <input
              {...props}
              type="date"
              value={values.availableFrom}
              onChange={(event) => set({ availableFrom: event.target.value })}
            />
          )}
        </Field>
        <Field form={form} name="availableTo" label={t("capacity.availableTo")} error={error}>
          {(props) => (
            <input
              {...props}
              type="date"
              value={values.availableTo}
              onChange={(event) => set({ availableTo: event.target.value })}
            />
          )}
        </Field>
      </div>
      <div className="field-row">
        <Field form={form} name="hourlyRate.amount" aliases={["hourlyRate"]} label={t("capacity.hourlyRate")} error={error}>
          {(props) => (
            <NumberInput {...props} fractionDigits={2} value={values.amount} onChange={(amount) => set({ amount })} />
          )}
        </Field>
        <Field form={form} name="hourlyRate.currency" label={t("capacity.currency")} error={error}>
          {(props) => (
            <CurrencySelect {...props} className="currency-select" value={values.currency} onChange={(currency) => set({ currency })} />
          )}
        </Field>
      </div>
      <p className="actions">
        <button type="submit" className="primary" disabled={state.fetching}>
          {state.fetching ? t("common:form.working") : t("capacity.submit")}
        </button>
      </p>
    </form>
  );
}
