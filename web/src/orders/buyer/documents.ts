// The buyer's order mutations and the fields the guided form edits, shared by the new and edit screens.
import { graphql, readFragment, type FragmentOf } from "../../graphql";
import { isoToLocal, type OrderFormValues } from "./orderForm";
import { UserErrorFragment } from "../../errors/userError";

export const OrderFormFragment = graphql(`
  fragment OrderFormOrder on Order {
    id
    status
    title
    description
    process
    material
    quantity
    estimatedMachineHours
    toleranceClass
    requiredCertifications
    needBy
    deliveryRegion
    biddingDeadline
    visibility
    allowSplit
    budget {
      includesVat
    }
    budget {
      min {
        amount
        currency
      }
      max {
        amount
        currency
      }
    }
    buyer {
      id
      name
    }
  }
`);

export function valuesOf(data: FragmentOf<typeof OrderFormFragment>): OrderFormValues {
  const order = readFragment(OrderFormFragment, data);
  return {
    organisationId: order.buyer.id,
    title: order.title,
    process: order.process,
    material: order.material,
    quantity: String(order.quantity),
    estimatedMachineHours: order.estimatedMachineHours === null || order.estimatedMachineHours === undefined ? "" : String(order.estimatedMachineHours),
    toleranceClass: order.toleranceClass,
    description: order.description,
    requiredCertifications: [...order.requiredCertifications],
    needBy: order.needBy,
    deliveryRegion: order.deliveryRegion,
    biddingDeadline: isoToLocal(order.biddingDeadline),
    budgetMin: order.budget.min.amount,
    budgetMax: order.budget.max.amount,
    visibility: order.visibility,
    allowSplit: order.allowSplit,
    budgetIncludesVat: order.budget.includesVat,
  };
}

// Each result selects the order's status so that the cached order (and every list showing it) follows.
export const CreateOrderMutation = graphql(
  `
    mutation CreateOrder($input: CreateOrderInput!) {
      createOrder(input: $input) {
        __typename
        ... on OrderSuccess {
          order {
            id
            title
            status
            viewerActions
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export const UpdateOrderMutation = graphql(
  `
    mutation UpdateOrder($id: ID!, $input: UpdateOrderInput!) {
      updateOrder(id: $id, input: $input) {
        __typename
        ... on OrderSuccess {
          order {
            id
            ...OrderFormOrder
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [OrderFormFragment, UserErrorFragment],
);

export const PublishOrderMutation = graphql(
  `
    mutation PublishOrder($id: ID!) {
      publishOrder(id: $id) {
        __typename
        ... on OrderSuccess {
          order {
            id
            title
            status
            viewerActions
            publishedAt
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export const CancelOrderMutation = graphql(
  `
    mutation CancelOrder($id: ID!, $reason: String!) {
      cancelOrder(id: $id, reason: $reason) {
        __typename
        ... on OrderSuccess {
          order {
            id
            title
            status
            viewerActions
            cancelReason
            closedAt
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);
