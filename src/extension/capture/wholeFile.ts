/**
 * A capture read whole through vscode.workspace.fs, within WHOLE_FILE_MAX_BYTES
 * (src/core/capture/wholeFile.ts): the capture editor for non-file URIs and in a browser, and
 * "Open Capture as tcpdump Text" everywhere.
 */
import * as vscode from 'vscode';
import { readWholeFile, type WholeFile } from '../../core/capture/wholeFile';

export function readWhole(uri: vscode.Uri): Promise<WholeFile> {
  const name = uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri) : uri.path.split('/').pop() || uri.toString(true);
  return readWholeFile(vscode.workspace.fs, uri, name, vscode.l10n.t);
}
