// The page's wallet: on a devnet one of anvil's funded dev accounts (viem local accounts from the well-known
// mnemonic, signing in the page), elsewhere an injected EIP-1193 wallet through viem's custom transport.
import {
  type Account,
  type Address,
  type Chain,
  createWalletClient,
  custom,
  type EIP1193Provider,
  http,
  type Transport,
  type WalletClient,
} from "viem";
import { HDKey, hdKeyToAccount } from "viem/accounts";

/** Anvil's default mnemonic: its accounts are public knowledge, never send real funds to them. */
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

export type PageWallet = WalletClient<Transport, Chain, Account>;

let master: Promise<HDKey> | undefined;

/** The BIP-39 seed through WebCrypto's PBKDF2 (native, ~1 ms), then BIP-32 as viem's mnemonicToAccount does. */
function masterKey(): Promise<HDKey> {
  master ??= (async () => {
    const enc = new TextEncoder();
    const key = await crypto.subtle.importKey("raw", enc.encode(ANVIL_MNEMONIC.normalize("NFKD")), "PBKDF2", false, [
      "deriveBits",
    ]);
    const bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", salt: enc.encode("mnemonic"), iterations: 2048, hash: "SHA-512" },
      key,
      512,
    );
    return HDKey.fromMasterSeed(new Uint8Array(bits));
  })();
  return master;
}

/** Addresses of the first `count` dev accounts. */
export async function devAddresses(count: number): Promise<Address[]> {
  const key = await masterKey();
  return Array.from({ length: count }, (_, i) => hdKeyToAccount(key, { addressIndex: i }).address);
}

/** A wallet client signing with dev account `index`, sending through `rpcUrl`. */
export async function devWallet(index: number, chain: Chain, rpcUrl: string): Promise<PageWallet> {
  const account = hdKeyToAccount(await masterKey(), { addressIndex: index });
  return createWalletClient({ account, chain, transport: http(rpcUrl, { retryCount: 0 }), pollingInterval: 250 });
}

/** The injected wallet (window.ethereum), if any. */
export function injectedProvider(): EIP1193Provider | undefined {
  return (globalThis as { ethereum?: EIP1193Provider }).ethereum;
}

/** Asks the injected wallet for an account and switches it to `chain` (adding it when the wallet does not know it). */
export async function injectedWallet(provider: EIP1193Provider, chain: Chain): Promise<PageWallet> {
  const probe = createWalletClient({ chain, transport: custom(provider) });
  const [address] = await probe.requestAddresses();
  if (!address) throw new Error("the wallet returned no account");
  if ((await probe.getChainId()) !== chain.id) {
    try {
      await probe.switchChain({ id: chain.id });
    } catch {
      await probe.addChain({ chain });
    }
  }
  return createWalletClient({ account: address, chain, transport: custom(provider) });
}
