// The viewer's organisations that may keep saved searches, as the API decides (savedSearchOrganisations):
// a save is offered only when there is one, and the company is asked for only when there are several.
import { graphql } from "../graphql";

export const SaveSearchOrganisationsQuery = graphql(`
  query SaveSearchOrganisations {
    savedSearchOrganisations {
      id
      name
    }
  }
`);
