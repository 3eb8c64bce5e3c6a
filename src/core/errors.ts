/**
 * The one way to turn something thrown into the words of an error message. Pure TypeScript: a
 * Node error is recognised by its `code` property, nothing is imported.
 *
 *   fail(`cannot read ${file}: ${errorMessage(err)}`)   →   "cannot read x.log: no such file"
 */

/**
 * A short, one-line reason for `err`: plain words for the file-system errors users meet
 * ("no such file", "permission denied", …), else the first line of its message (a stack trace or
 * a multi-line message would break a one-line error), else String(err) for anything that is not
 * an error (a thrown string or number).
 */
export function errorMessage(err: unknown): string {
  const e = typeof err === 'object' && err !== null ? (err as { code?: unknown; message?: unknown }) : null;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    default:
      return typeof e?.message === 'string' && e.message !== '' ? e.message.split('\n')[0] : String(err);
  }
}
