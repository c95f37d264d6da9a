// What cancelling a withdraw request costs the holder: the one place this rule lives in the SDK.
//
// TrancheVault.cancelWithdraw gives back only shares worth at most the request's value at request time and burns
// the rest (the escrow's gain since the request stays with the LPs who did not leave); the vault's own
// `previewCancel(owner)` says exactly how many, so the SDK reads it instead of re-deriving the vault's share math.
// The holder also loses the cooldown already served (a new request starts it again).

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
  /** The vault's `previewCancel(owner)` at the time of the cancel: shares returned and burned. */
  preview: () => Promise<readonly [bigint, bigint]>;
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
  const [returnedShares] = await input.preview();
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
