// GTIN checks (GS1 General Specifications §7.9): GTIN-8, -12 (UPC-A), -13 (EAN) and -14, mod-10 check digit.

export type GtinVerdict = "valid" | "wrong_length" | "not_digits" | "bad_check_digit";

export function checkGtin(raw: string): GtinVerdict {
  const value = raw.trim();
  if (!/^\d+$/.test(value)) return "not_digits";
  if (![8, 12, 13, 14].includes(value.length)) return "wrong_length";
  let sum = 0;
  // From the right, excluding the check digit, weights alternate 3, 1, 3, …
  for (let i = value.length - 2, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) sum += Number(value[i]) * w;
  const check = (10 - (sum % 10)) % 10;
  return check === Number(value[value.length - 1]) ? "valid" : "bad_check_digit";
}
