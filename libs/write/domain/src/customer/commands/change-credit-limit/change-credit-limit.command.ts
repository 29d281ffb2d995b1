/** Set a customer's credit limit, in minor units of the customer's currency. */
export interface ChangeCreditLimit {
  readonly type: 'ChangeCreditLimit';
  readonly customerId: string;
  readonly creditLimit: number;
}
