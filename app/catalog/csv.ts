// RFC 4180 CSV fields: quote when a value has a comma, quote, CR or LF (or leading/trailing space); double quotes.

export function csvField(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "object" ? (Array.isArray(value) ? value.join(",") : JSON.stringify(value)) : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
