// What cancelling a withdraw request costs the holder: the one place this rule lives in the SDK.
//
// Current TrancheVault: `cancelWithdraw` returns every escrowed share, so a cancel costs no shares and no assets;
// the holder loses the cooldown time already served (a new request starts the cooldown again).
// TODO(tranche helper, issue 9 item 2): the reworked vault returns only min(shares, convertToShares(assetsAtRequest))
// and burns the rest (the escrow's gain since the request goes to the LPs who stayed). When it lands, compute
// `returnedShares` that way here (convertToShares rounds down) and the callers report it unchanged.

export type CancelCostInput = {
  /** Escrowed shares of the open request. */
  shares: bigint;
  /** `assetsAtRequest` of the request. */
  assetsAtRequest: bigint;
  /** When the request was made (unlockTime - cooldown) and the time now (a block timestamp), seconds. */
  requestedAt: bigint;
  now: bigint;
  /** The vault's cooldown, seconds. */
  cooldown: bigint;
  /** The vault's `convertToAssets` at the time of the cancel (e.g. an eth_call at that block). */
  convertToAssets: (shares: bigint) => Promise<bigint>;
};

export type CancelCost = {
  /** Shares given back to the holder. */
  returnedShares: bigint;
  /** Shares burned (their value stays with the other LPs). */
  burnedShares: bigint;
  /** What the burned shares are worth now: convertToAssets(shares) - convertToAssets(returnedShares). */
  assets: bigint;
  /** Cooldown already served that a new request would have to serve again: min(now - requestedAt, cooldown). */
  cooldownLost: bigint;
};

/** What `cancelWithdraw` would cost now (see the file header for the rule). */
export async function cancelCost(input: CancelCostInput): Promise<CancelCost> {
  const returnedShares = input.shares;
  const served = input.now > input.requestedAt ? input.now - input.requestedAt : 0n;
  return {
    returnedShares,
    burnedShares: input.shares - returnedShares,
    assets:
      returnedShares === input.shares
        ? 0n
        : (await input.convertToAssets(input.shares)) - (await input.convertToAssets(returnedShares)),
    cooldownLost: served < input.cooldown ? served : input.cooldown,
  };
}
