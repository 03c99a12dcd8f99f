// After completion: the blind review form while the API offers REVIEW, and the contract's reviews (your side's
// always; the other side's once published).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { ErrorSummary, Field, fieldId, errorIsFor, ErrorText, userErrorOf, type UserErrorLike } from "../ui/forms";
import { UserErrorFragment } from "../errors/userError";

export const ContractReviewsFragment = graphql(
  `
    fragment ContractReviews on Contract {
      id
      status
      viewerParty
      availableActions {
        action
      }
      buyer {
        id
        name
      }
      manufacturer {
        id
        name
      }
      reviews {
        id
        rating
        text
        byBuyer
        published
        createdAt
        author {
          id
          name
        }
      }
    }
  `);

const SubmitReview = graphql(
  `
    mutation SubmitReview($contractId: ID!, $rating: Int!, $text: String!) {
      submitReview(contractId: $contractId, rating: $rating, text: $text) {
        __typename
        ... on ReviewSuccess {
          review {
            id
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function Reviews({ data, onDone }: { data: FragmentOf<typeof ContractReviewsFragment>; onDone: () => void }) {
  const { t } = useTranslation("contracts");
  const format = useFormat();
  const contract = readFragment(ContractReviewsFragment, data);
  const mayReview = contract.availableActions.some((item) => item.action === "REVIEW");
  if (contract.status !== "COMPLETED" && contract.reviews.length === 0) return null;
  const other = contract.viewerParty === "BUYER" ? contract.manufacturer.name : contract.buyer.name;
  return (
    <section aria-labelledby="reviews-title" className="contract-reviews">
      <h2 id="reviews-title">{t("reviews.title")}</h2>
      {mayReview ? <ReviewForm contractId={contract.id} other={other} onDone={onDone} /> : null}
      {contract.reviews.length === 0 ? (
        <p className="muted">{t("reviews.none")}</p>
      ) : (
        <ul className="cards">
          {contract.reviews.map((review) => (
            <li key={review.id} className="card">
              <p>
                <strong>{review.byBuyer ? t("reviews.byBuyer") : t("reviews.byManufacturer")}</strong> ·{" "}
                {review.author.name} · <span className="muted">{format.date(review.createdAt)}</span>
              </p>
              <p>
                <span className="visually-hidden">{t("reviews.score", { rating: review.rating })}</span>
                <span aria-hidden="true" className="stars">
                  {"★".repeat(review.rating)}
                  {"☆".repeat(5 - review.rating)}
                </span>
              </p>
              {review.text ? <p>{review.text}</p> : null}
              {!review.published ? <p className="muted">{t("reviews.hidden")}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ReviewForm({ contractId, other, onDone }: { contractId: string; other: string; onDone: () => void }) {
  const { t } = useTranslation("contracts");
  const [rating, setRating] = useState(0);
  const [text, setText] = useState("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [{ fetching }, submit] = useMutation(SubmitReview);
  const form = "review";
  const ratingError = errorIsFor(error, ["rating"]) ? error : null;
  return (
    <form
      className="review-form card"
      noValidate
      aria-labelledby="review-form-title"
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await submit({ contractId, rating, text }, { additionalTypenames: ["Review", "Contract"] });
        const payload = result.data?.submitReview;
        const refusal = userErrorOf(payload);
        setError(refusal ?? (result.error ? { message: result.error.message } : null));
        if (payload?.__typename === "ReviewSuccess") onDone();
      }}
    >
      <h3 id="review-form-title">{t("reviews.formTitle", { name: other })}</h3>
      <ErrorSummary form={form} error={error} />
      <fieldset className={ratingError ? "field field-error" : "field"} id={fieldId(form, "rating")}>
        <legend>{t("reviews.rating")}</legend>
        {ratingError ? (
          <p className="field-message">
            <ErrorText error={ratingError} />
          </p>
        ) : null}
        <div className="rating-options">
          {[1, 2, 3, 4, 5].map((value) => (
            <label key={value} className="checkbox">
              <input
                type="radio"
                name="rating"
                value={value}
                checked={rating === value}
                onChange={() => setRating(value)}
              />{" "}
              {t("reviews.stars", { count: value })}
            </label>
          ))}
        </div>
      </fieldset>
      <Field form={form} name="text" label={t("reviews.text")} hint={t("reviews.textHint")} error={error} optional>
        {(props) => <textarea {...props} rows={4} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <p className="actions">
        <button type="submit" className="primary" disabled={fetching}>
          {t("reviews.submit")}
        </button>
      </p>
    </form>
  );
}
