// Questions and answers on an order: bidders ask, the buyer answers once, everyone sees the answers.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql, readFragment, type FragmentOf } from "../../graphql";
import { useFormat } from "../../i18n/format";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../../ui/forms";
import { Empty } from "../../ui/States";
import { UserErrorFragment } from "../../errors/userError";

export const QuestionsFragment = graphql(
  `
    fragment Questions on Order {
      id
      viewerCanAskQuestion
      questions(first: 100) {
        id
        question
        answer
        askedAt
        answeredAt
        askedByYourOrganisation
        viewerCanAnswer
      }
    }
  `);

const AskMutation = graphql(
  `
    mutation AskQuestion($orderId: ID!, $question: String!) {
      askQuestion(orderId: $orderId, question: $question) {
        __typename
        ... on OrderQuestionSuccess {
          question {
            id
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

const AnswerMutation = graphql(
  `
    mutation AnswerQuestion($questionId: ID!, $answer: String!) {
      answerQuestion(questionId: $questionId, answer: $answer) {
        __typename
        ... on OrderQuestionSuccess {
          question {
            id
            answer
            answeredAt
            viewerCanAnswer
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function Questions({ data, onChanged }: { data: FragmentOf<typeof QuestionsFragment>; onChanged: () => void }) {
  const { t } = useTranslation("orderDetail");
  const format = useFormat();
  const order = readFragment(QuestionsFragment, data);
  return (
    <section aria-labelledby="qa-title" className="qa">
      <h2 id="qa-title">{t("qa.title")}</h2>
      <p className="muted">{t("qa.lead")}</p>
      {order.questions.length === 0 ? <Empty>{t("qa.none")}</Empty> : null}
      <ol className="qa-list">
        {order.questions.map((q) => (
          <li key={q.id} className="card">
            <p>
              <strong>{t("qa.question")}:</strong> {q.question}
            </p>
            <p className="muted">
              {format.dateTime(q.askedAt)}
              {q.askedByYourOrganisation ? ` · ${t("qa.yours")}` : null}
            </p>
            {q.answer !== null && q.answer !== undefined ? (
              <p>
                <strong>{t("qa.answer")}:</strong> {q.answer}
              </p>
            ) : (
              <p className="badge badge-warn">{t("qa.awaiting")}</p>
            )}
            {q.viewerCanAnswer ? <AnswerForm questionId={q.id} onAnswered={onChanged} /> : null}
          </li>
        ))}
      </ol>
      {order.viewerCanAskQuestion ? <AskForm orderId={order.id} onAsked={onChanged} /> : null}
    </section>
  );
}

function AskForm({ orderId, onAsked }: { orderId: string; onAsked: () => void }) {
  const { t } = useTranslation("orderDetail");
  const [text, setText] = useState("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [done, setDone] = useState(false);
  const [{ fetching }, ask] = useMutation(AskMutation);
  return (
    <form
      className="ask-form"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await ask({ orderId, question: text });
        const refusal = userErrorOf(result.data?.askQuestion);
        setError(refusal);
        if (!refusal && result.data) {
          setText("");
          setDone(true);
          onAsked();
        }
      }}
    >
      <ErrorSummary form="ask" error={error} />
      {done ? (
        <p className="success" role="status">
          {t("qa.asked")}
        </p>
      ) : null}
      <Field form="ask" name="question" label={t("qa.ask")} hint={t("qa.askHint")} error={error}>
        {(props) => <textarea {...props} rows={3} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <button type="submit" className="primary" disabled={fetching}>
        {t("qa.send")}
      </button>
    </form>
  );
}

function AnswerForm({ questionId, onAnswered }: { questionId: string; onAnswered: () => void }) {
  const { t } = useTranslation("orderDetail");
  const [text, setText] = useState("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [{ fetching }, answer] = useMutation(AnswerMutation);
  const form = `answer-${questionId.replace(/[^a-zA-Z0-9]/g, "")}`;
  return (
    <form
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await answer({ questionId, answer: text });
        const refusal = userErrorOf(result.data?.answerQuestion);
        setError(refusal);
        if (!refusal && result.data) onAnswered();
      }}
    >
      <ErrorSummary form={form} error={error} />
      <Field form={form} name="answer" label={t("qa.answerLabel")} error={error}>
        {(props) => <textarea {...props} rows={2} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <button type="submit" className="primary" disabled={fetching}>
        {t("qa.sendAnswer")}
      </button>
    </form>
  );
}
