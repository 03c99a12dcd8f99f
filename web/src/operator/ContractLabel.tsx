// How the operator's pages name a contract: by its order's title (its id when the order is gone), and its two
// parties, buyer → manufacturer. One selection for the disputes, the payments by reference, the payout
// instructions and the card payments' failures, each spreading the fragment its lines show.
import { graphql, readFragment, type FragmentOf } from "../graphql";

export const ContractTitleFragment = graphql(`
  fragment OperatorContractTitle on Contract {
    id
    order {
      id
      title
    }
  }
`);

export const ContractPartiesFragment = graphql(
  `
    fragment OperatorContractParties on Contract {
      ...OperatorContractTitle
      buyer {
        id
        name
      }
      manufacturer {
        id
        name
      }
    }
  `,
  [ContractTitleFragment],
);

/** The order's title, or the contract's id when it has no order to show. */
export function contractTitle(data: FragmentOf<typeof ContractTitleFragment>): string {
  const contract = readFragment(ContractTitleFragment, data);
  return contract.order?.title ?? contract.id;
}

/** «ООО «Заказчик» → ООО «Фреза»». */
export function ContractParties({ data }: { data: FragmentOf<typeof ContractPartiesFragment> }) {
  const contract = readFragment(ContractPartiesFragment, data);
  return (
    <>
      {contract.buyer.name} → {contract.manufacturer.name}
    </>
  );
}

/** The title of a contract selected with its parties. */
export function partiesTitle(data: FragmentOf<typeof ContractPartiesFragment>): string {
  return contractTitle(readFragment(ContractPartiesFragment, data));
}
