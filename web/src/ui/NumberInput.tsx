// The one input for money and quantities: digits grouped as the page's language groups them while typing
// («1 500 000,5» in Russian, "1,500,000.5" in English; a comma or a dot starts the kopecks in Russian), the caret
// kept after the digit it was after, and the form handed the plain decimal string the API takes ("1500000.5").
// Used inside Field like any input: <Field …>{(props) => <NumberInput {...props} value=… onChange=… />}</Field>.
import { useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { localeOf } from "../i18n/format";
import { deletionAcrossGroup, formatPlain, formatTyped, type NumberOptions } from "./numberText";

type InputProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "type" | "inputMode">;

export interface NumberInputProps extends InputProps {
  /** The plain decimal string ("1500000.5", or "" for nothing typed). */
  value: string;
  onChange: (value: string) => void;
  /** 0 (the default) for whole numbers: quantities, days, hours; 2 for money. */
  fractionDigits?: number;
  /** A unit shown after the input («₽», «шт.»); the label names it for screen readers. */
  unit?: string;
}

export function NumberInput({ value, onChange, fractionDigits = 0, unit, className, ...rest }: NumberInputProps) {
  const { i18n } = useTranslation();
  const options: NumberOptions = { locale: localeOf(i18n.language), fractionDigits };
  const [shown, setShown] = useState(() => ({ display: formatPlain(value, options), locale: options.locale, value }));
  const input = useRef<HTMLInputElement>(null);
  const caret = useRef<number | null>(null);

  // A value set from outside (a loaded order, a reset) or a language switched: show it afresh. The input's own
  // typing leaves the display alone («1 500,» stays while its value is "1500").
  let display = shown.display;
  if (shown.locale !== options.locale || shown.value !== value) {
    display = formatPlain(value, options);
    setShown({ display, locale: options.locale, value });
  }

  useLayoutEffect(() => {
    if (caret.current !== null && input.current && document.activeElement === input.current) {
      input.current.setSelectionRange(caret.current, caret.current);
    }
    caret.current = null;
  });

  function change(event: React.ChangeEvent<HTMLInputElement>) {
    let text = event.target.value;
    let at = event.target.selectionStart ?? text.length;
    const inputType = (event.nativeEvent as InputEvent).inputType;
    if (inputType === "deleteContentBackward" || inputType === "deleteContentForward") {
      const direction = inputType === "deleteContentBackward" ? "backward" : "forward";
      const mended = deletionAcrossGroup(display, text, at, direction, options);
      if (mended) ({ text, caret: at } = mended);
    }
    const next = formatTyped(text, at, { ...options, pasted: inputType === "insertFromPaste" });
    caret.current = next.caret;
    setShown({ display: next.display, locale: options.locale, value: next.value });
    // When the digits kept are the ones there were (a letter typed), the browser's text still needs redrawing.
    if (next.display === display && input.current) {
      input.current.value = next.display;
      input.current.setSelectionRange(next.caret, next.caret);
    }
    if (next.value !== value) onChange(next.value);
  }

  const field = (
    <input
      {...rest}
      ref={input}
      type="text"
      inputMode={fractionDigits > 0 ? "decimal" : "numeric"}
      autoComplete="off"
      className={className}
      value={display}
      onChange={change}
    />
  );
  if (!unit) return field;
  return (
    <span className="money-input">
      {field}
      <span aria-hidden="true">{unit}</span>
    </span>
  );
}
