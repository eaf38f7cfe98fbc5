// The tooltip's numbers written by the rule of core/numbers.py (format_number), with the separators Python
// passes (deck_map ``number_format``): nl "1 234,5" (U+202F thousands, decimal comma), en "1,234.5".
// Never the browser's own locale formatting (Intl), which writes Dutch as "1.234,5" (issue 20).

// Fixed ``decimals``; an exact tie rounds half to even, as Python's f"{v:.{d}f}" does (JS toFixed rounds up).
function fixed(x, decimals) {
  let text = x.toFixed(decimals);
  const scaled = x * 10 ** decimals;
  if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled)) {   // exactly k + 0.5: keep the even k
    const k = Math.floor(scaled);
    text = (k % 2 === 0 ? k : k + 1).toString();
    if (decimals > 0) {
      text = text.padStart(decimals + 1, "0");
      text = text.slice(0, -decimals) + "." + text.slice(-decimals);
    }
  }
  return text;
}

export function formatNumber(value, decimals, sep) {
  const v = Number(value);
  if (!Number.isFinite(v)) return "–";
  const group = String(sep?.group ?? "\u202f");
  const mark = String(sep?.decimal ?? ",");
  const negative = v < 0 || Object.is(v, -0);
  const [whole, frac] = fixed(Math.abs(v), Math.max(0, Math.trunc(Number(decimals) || 0))).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return (negative ? "-" : "") + grouped + (frac !== undefined ? mark + frac : "");
}
