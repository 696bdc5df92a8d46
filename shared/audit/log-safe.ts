// Control characters (C0, DEL, C1) and the Unicode marks that reorder or
// hide text (bidi overrides and isolates, zero-width characters).
const unprintable = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

// Anything shaped like a compact JWT or a signed AWS URL's secrets.
const secretShaped =
  /eyJ[\w-]*\.[\w-]*\.[\w-]*|X-Amz-(Signature|Security-Token|Credential)=[^&\s"]*/g;

/**
 * A caller-supplied or display value made safe to write to a log line: no
 * control or text-reordering characters, nothing shaped like a token or a
 * signature (a caller may put one in any header), and at most `max`
 * characters. Values that decide nothing (User-Agent, display names) pass
 * through here before they reach an audit event.
 */
function logSafe(value: string | undefined, max = 256): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = value.replace(unprintable, '?')
    .replace(secretShaped, '[redacted]');
  return cleaned.length > max ? `${cleaned.slice(0, max)}…` : cleaned;
}

export { logSafe };
