// Invite one manufacturer to the order, or show that it is invited. The API says whether the order takes
// invitations (Order.viewerActions) and may still refuse one; its refusal is shown next to the button.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql } from "../graphql";
import { userErrorOf, type UserErrorLike, ErrorText } from "../ui/forms";
import { UserErrorFragment } from "../errors/userError";

const InviteMutation = graphql(
  `
    mutation InviteManufacturer($orderId: ID!, $manufacturerIds: [ID!]!) {
      inviteManufacturers(orderId: $orderId, manufacturerIds: $manufacturerIds) {
        __typename
        ... on OrderSuccess {
          order {
            id
            invitedManufacturers {
              id
            }
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function InviteButton({
  orderId,
  manufacturer,
  invited,
  canInvite,
}: {
  orderId: string;
  manufacturer: { id: string; name: string };
  invited: boolean;
  /** The API offers invitations for this order now (Order.viewerActions). */
  canInvite: boolean;
}) {
  const { t } = useTranslation("matching");
  const [state, invite] = useMutation(InviteMutation);
  const [error, setError] = useState<UserErrorLike | null>(null);
  if (invited) {
    return (
      <p className="invite">
        <span className="badge badge-ok invited-badge">✓ {t("invite.invited")}</span>
      </p>
    );
  }
  if (!canInvite) return null;
  return (
    <div className="invite">
      <button
        type="button"
        aria-label={t("invite.inviteNamed", { name: manufacturer.name })}
        disabled={state.fetching}
        onClick={async () => {
          const result = await invite({ orderId, manufacturerIds: [manufacturer.id] });
          const payload = result.data?.inviteManufacturers;
          setError(
            payload?.__typename === "OrderSuccess"
              ? null
              : (userErrorOf(payload) ?? { message: result.error?.message ?? t("common:state.error") }),
          );
        }}
      >
        {state.fetching ? t("invite.working") : t("invite.invite")}
      </button>
      {error ? (
        <p className="field-message" role="alert">
          <ErrorText error={error} />
        </p>
      ) : null}
    </div>
  );
}
