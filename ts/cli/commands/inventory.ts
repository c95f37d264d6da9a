// `perp inventory` (the backstop inventory's descending-discount sales) and `perp inventory take <market> [size]`.
import type { Command } from "commander";
import type { CommandContext } from "../io";
import { parseBaseAmount, parsePrice, parseSubId } from "../values";
import { sessionOptions } from "./common";

type Flags = {
  deployment?: string;
  rpcUrl?: string;
  account?: string;
  json?: boolean;
  sub?: string;
  maxPrice?: string;
  minPrice?: string;
};

/** Adds `inventory` and `inventory take` to `program`. */
export function registerInventory(program: Command, ctx: CommandContext): void {
  const inventory = sessionOptions(
    program
      .command("inventory")
      .summary("the backstop's inventory for sale: size, index, discount and price per base now, budget left"),
  ).action(async (flags: Flags) => {
    const { inventoryCommand } = await import("../inventory");
    await inventoryCommand(ctx, flags);
  });

  sessionOptions(
    inventory
      .command("take <market> [size]")
      .summary("take (buy a long / sell a short) up to `size` base of the inventory (default all) at the sale's price")
      .option("--sub <n>", "sub-account that receives the position (default 0, the cross-margin account)")
      .option("--max-price <price>", "long inventory: the most to pay per base (default the price now + 0.5 %)")
      .option("--min-price <price>", "short inventory: the least to receive per base (default the price now - 0.5 %)"),
    { account: "sign" },
  ).action(async (marketText: string, sizeText: string | undefined, own: Flags) => {
    // Commander hands the options both commands declare (--json, --deployment, --rpc-url) to the parent.
    const flags: Flags = { ...(inventory.opts() as Flags), ...own };
    const size = sizeText === undefined ? undefined : parseBaseAmount(sizeText);
    const subId = parseSubId(flags.sub);
    const maxPrice = parsePrice(flags.maxPrice, "--max-price");
    const minPrice = parsePrice(flags.minPrice, "--min-price");
    const { takeInventoryCommand } = await import("../inventory");
    await takeInventoryCommand(ctx, flags, { market: marketText, size, subId, maxPrice, minPrice });
  });
}
