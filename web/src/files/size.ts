// A file's size for people: bytes in binary steps (1 KB = 1024 B), one decimal below 10, in the page's locale.
export interface SizeParts {
  unit: "B" | "KB" | "MB" | "GB";
  value: string;
}

const UNITS = ["B", "KB", "MB", "GB"] as const;

export function sizeParts(bytes: number, locale: string): SizeParts {
  let value = Math.max(0, bytes);
  let step = 0;
  while (value >= 1024 && step < UNITS.length - 1) {
    value /= 1024;
    step += 1;
  }
  const digits = step === 0 || value >= 10 ? 0 : 1;
  // 1023.6 KB rounds to "1024 KB": say 1 MB instead.
  if (step < UNITS.length - 1 && Number(value.toFixed(digits)) >= 1024) {
    value /= 1024;
    step += 1;
  }
  const fractionDigits = step === 0 || value >= 10 ? 0 : 1;
  return {
    unit: UNITS[step],
    value: new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(value),
  };
}
