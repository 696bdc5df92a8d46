/**
 * Refuses a URL that would carry tokens in the clear: only https, or plain
 * http to this machine (the local stack).
 */
function requireSecureUrl(value: string, what: string): URL {
  const url = new URL(value);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`The ${what} ${url.origin} is not HTTPS; tokens would ` +
      'cross the network in the clear. Use https (plain http only on the loopback).');
  }
  return url;
}

export { requireSecureUrl };
