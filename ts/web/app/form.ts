// An input + button + status line, and the one way every section sends a transaction: check the input first
// (nothing is sent when it is refused), disable the button while it runs, say what happened in words.
import type { Ctx } from "./context";
import { h } from "./dom";
import { readableError } from "./errors";
import type { Parsed } from "./inputs";

export type StatusLine = HTMLElement & { show(kind: "ok" | "error" | "pending", text: string): void };

export function statusLine(testid: string): StatusLine {
  const el = h("div", { class: "status", "data-testid": testid, role: "status" }) as unknown as StatusLine;
  el.show = (kind, text) => {
    el.className = `status ${kind}`;
    el.textContent = text;
  };
  return el;
}

/**
 * Sends `send(value)` once `parse()` accepts the input; shows "error" (and sends nothing) otherwise.
 * Returns false when nothing was sent.
 */
export async function submit<T>(
  ctx: Ctx,
  status: StatusLine,
  button: HTMLButtonElement,
  parse: () => Parsed<T>,
  send: (value: T) => Promise<string>,
): Promise<boolean> {
  if (!ctx.wallet) {
    status.show("error", "Connect a wallet first.");
    return false;
  }
  const parsed = parse();
  if (!parsed.ok) {
    status.show("error", parsed.error);
    return false;
  }
  button.disabled = true;
  status.show("pending", "Sending…");
  try {
    status.show("ok", await send(parsed.value));
    return true;
  } catch (err) {
    status.show("error", readableError(err, ctx.usdc));
    return false;
  } finally {
    button.disabled = false;
    ctx.poke();
  }
}

/** `[input][button]` in a row with a status line under it. */
export function actionRow(opts: {
  testid: string;
  placeholder?: string;
  button: string;
  extra?: HTMLElement[];
  onSubmit: (input: HTMLInputElement, button: HTMLButtonElement, status: StatusLine) => void;
  withInput?: boolean;
}): { row: HTMLElement; input: HTMLInputElement; button: HTMLButtonElement; status: StatusLine } {
  const input = h("input", {
    type: "text",
    inputmode: "decimal",
    placeholder: opts.placeholder ?? "",
    "data-testid": `${opts.testid}-input`,
    autocomplete: "off",
  });
  const button = h("button", { type: "submit", "data-testid": `${opts.testid}-button` }, opts.button);
  const status = statusLine(`${opts.testid}-status`);
  const form = h("form", { class: "action" }, opts.withInput === false ? null : input, ...(opts.extra ?? []), button);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    opts.onSubmit(input, button, status);
  });
  return { row: h("div", {}, form, status), input, button, status };
}
