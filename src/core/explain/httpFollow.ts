/**
 * Sentences of the problems found while rebuilding HTTP messages from a followed stream
 * (src/core/follow/http.ts): a problem holds a kind and its numbers, the words are here (English keys,
 * Chinese in l10n/bundle.l10n.zh-cn.json). Pure.
 */
import type { HttpProblem } from '../follow/http';
import type { Translate } from './l10n';

function mib(n: number): string {
  return n >= 1 << 20 ? +(n / (1 << 20)).toFixed(1) + ' MiB' : n + ' B';
}

export function httpProblemText(p: HttpProblem, t: Translate): string {
  const [a, b, c] = p.params;
  switch (p.kind) {
    case 'not-http':
      return t('the bytes at offset {0} do not start an HTTP message: the rest of this direction ({1} bytes) is not read as HTTP', p.pos, a);
    case 'headers-missing':
      return t('{0} bytes of the headers were not captured: the rest of this direction is not read', a);
    case 'headers-too-long':
      return t('the headers are longer than {0} bytes: not read as HTTP', a);
    case 'headers-incomplete':
      return t('the capture ends inside the headers ({0} bytes seen)', a);
    case 'content-length-bad':
      return t('Content-Length "{0}" is not a number', a);
    case 'body-missing':
      return t('{0} bytes of the body were not captured (zeros in their place)', a);
    case 'body-short':
      return t('the capture ends after {0} of the {1} bytes of the body', a, b);
    case 'chunk-bad':
      return t('the chunked body is damaged at byte {0} of the body: the rest of this direction is not read', a);
    case 'chunk-missing':
      return t('bytes of the chunked body were not captured ({0} bytes), so its chunks cannot be told apart: the rest of this direction is not read', a);
    case 'chunked-incomplete':
      return t('the capture ends inside the chunked body ({0} bytes of it seen)', a);
    case 'coding-unsupported':
      return t('the content coding "{0}" is not decoded', a);
    case 'not-decoded-missing':
      return t('the body ({0}) is not decoded: bytes of it were not captured', a);
    case 'no-inflate':
      return t('the body ({0}) is not decoded here (no decompressor)', a);
    case 'decode-capped':
      return t(
        'the body ({0}) is not decoded: it would decompress to more than {1} from {2} bytes, more than a real body does (a "decompression bomb")',
        a,
        mib(Number(b)),
        c,
      );
    case 'decode-error':
      return t('the body ({0}) could not be decoded: {1}', a, b);
    case 'direction-too-long':
      return t('only the first {0} of this direction are read as HTTP', mib(Number(a)));
  }
}
