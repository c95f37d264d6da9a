// The tradeLegs action against a real chain: what it returns is what was mined (one PositionChanged per leg), a
// failing leg reverts the whole transaction, and bad leg lists fail before any RPC call.
import { createWalletClient, custom } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { devAccount } from "../../../ts/devnet/clients";
import { ContractRevertError, type PerpError } from "../../../ts/errors";
import { WAD } from "../../../ts/money";
import { getPositions, InvalidParametersError, perpActions, quoteTradeLegs, tradeLegs } from "../../../ts/pool";
import { useChain } from "../harness";
import { BTC, deployProtocolFixture, ETH, fundTrader, type Protocol } from "./fixture";

const chain = useChain();
let p: Protocol;
const alice = () => chain.wallet(1);
const bob = () => chain.wallet(2);

beforeAll(async () => {
  p = await deployProtocolFixture(chain);
  await fundTrader(chain, p, alice(), 100_000n * 10n ** 6n);
  await fundTrader(chain, p, bob(), 100_000n * 10n ** 6n);
});

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
}

describe("tradeLegs", () => {
  it("returns each leg as mined, in order, equal to its exact quote", async () => {
    const r = await tradeLegs(alice(), {
      pool: p.pool,
      legs: [
        { marketId: 0, size: "10" },
        { marketId: 1, size: "-0.33" },
      ],
      slippage: 30,
    });
    expect(r.legs.map((l) => [l.marketId, l.sizeDelta, l.sizeAfter])).toEqual([
      [ETH, 10n * WAD, 10n * WAD],
      [BTC, -33n * 10n ** 16n, -33n * 10n ** 16n],
    ]);
    r.legs.forEach((leg, i) => {
      const expected = r.expected.legs[i];
      expect(leg.quote).toBe(expected?.quote);
      expect(leg.fee).toBe(expected?.fee);
      expect(leg.markAfter).toBe(expected?.markAfter);
    });
    expect(r.fee).toBe(r.expected.fee);
    const [ethLimit, btcLimit] = r.quoteLimits;
    expect(ethLimit).toBe(((r.expected.legs[0]?.quote ?? 0n) * 10_030n) / 10_000n); // a buy: the most to pay
    expect(btcLimit).toBe(((r.expected.legs[1]?.quote ?? 0n) * 9_970n + 9_999n) / 10_000n); // a sell: the least
    const positions = await getPositions(alice(), { lens: p.lens, owner: alice().account.address });
    expect(positions.map((x) => [x.marketId, x.size, x.openNotional])).toEqual([
      [ETH, 10n * WAD, r.legs[0]?.openNotionalAfter],
      [BTC, -33n * 10n ** 16n, r.legs[1]?.openNotionalAfter],
    ]);
  });

  it("reverts the whole transaction when a later leg fails: no position is opened", async () => {
    const err = await errorOf(
      tradeLegs(bob(), {
        pool: p.pool,
        legs: [
          { marketId: 0, size: "1" },
          { marketId: 1, size: "0.05", quoteLimit: 1000n * WAD }, // 0.05 BTC costs ~3,000
        ],
      }),
    );
    expect(err).toBeInstanceOf(ContractRevertError);
    expect((err as ContractRevertError).errorName).toBe("SlippageExceeded");
    expect(await getPositions(bob(), { lens: p.lens, owner: bob().account.address })).toEqual([]);
  });

  it("quotes each leg on its own market exactly as quoteTrade, and refuses bad lists like the pool", () => {
    const market = (baseReserve: bigint, price: bigint) => ({
      state: { baseReserve, quoteReserve: baseReserve * price },
      config: { feeBps: 10, minPositionBase: 10n ** 15n },
    });
    const eth = { marketId: ETH, ...market(10_000n * WAD, 2000n), sizeDelta: WAD };
    const btc = { marketId: BTC, ...market(500n * WAD, 60_000n), sizeDelta: -WAD / 10n };
    const q = quoteTradeLegs([eth, btc]);
    expect(q.quoteDelta).toBe((q.legs[0]?.quoteDelta ?? 0n) + (q.legs[1]?.quoteDelta ?? 0n));
    expect(q.addsRisk).toBe(true);
    const nameOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as ContractRevertError).errorName;
      }
      return "no error";
    };
    expect(nameOf(() => quoteTradeLegs([]))).toBe("NoLegs");
    expect(nameOf(() => quoteTradeLegs([eth, btc, eth]))).toBe("DuplicateLeg");
    expect(nameOf(() => quoteTradeLegs(Array.from({ length: 9 }, (_, i) => ({ ...eth, marketId: BigInt(i) }))))).toBe(
      "TooManyLegs",
    );
  });

  it("rejects an empty, duplicate or oversized leg list before any RPC call", async () => {
    let requests = 0;
    const offline = createWalletClient({
      account: devAccount(1),
      transport: custom({
        request: async () => {
          requests++;
          throw new Error("no RPC expected");
        },
      }),
    });
    const cases: [readonly { marketId: number; size: string }[], RegExp][] = [
      [[], /legs: needs at least one leg/],
      [
        [
          { marketId: 0, size: "1" },
          { marketId: 0, size: "-1" },
        ],
        /legs: lists a market more than once/,
      ],
      [Array.from({ length: 9 }, (_, i) => ({ marketId: i, size: "1" })), /legs: takes at most 8 legs/],
      [[{ marketId: 0, size: "0" }], /size: must not be zero/],
    ];
    for (const [legs, message] of cases) {
      const err = await errorOf(tradeLegs(offline, { pool: p.pool, legs }));
      expect(err).toBeInstanceOf(InvalidParametersError);
      expect((err as PerpError).shortMessage).toMatch(message);
    }
    expect(requests).toBe(0);
  });

  it("works through client.extend(perpActions(...))", async () => {
    const perp = bob().extend(perpActions({ pool: p.pool, lens: p.lens }));
    const r = await perp.tradeLegs({
      legs: [
        { marketId: 1, size: "0.1" },
        { marketId: 0, size: "-2" },
      ],
    });
    expect(r.legs.map((l) => l.sizeAfter)).toEqual([WAD / 10n, -2n * WAD]);
  });
});
