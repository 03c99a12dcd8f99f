// A search snippet with the query's words between <mark> and </mark>: only those tags are honoured,
// everything else is shown as text.
export function Highlighted({ snippet }: { snippet: string }) {
  const parts = snippet.split(/<mark>(.*?)<\/mark>/g);
  return (
    <>
      {parts.map((part, index) => (index % 2 === 1 ? <mark key={index}>{part}</mark> : part))}
    </>
  );
}
