/**
 * Issue 14 in the capture editor: the webview's `graphs` command (validated like every message) and
 * the details tree's "RTT sample / bytes in flight" line (src/extension/capture/perfDetails.ts).
 */
import * as assert from 'node:assert/strict';

import { formatEn } from '../src/core/explain/l10n';
import { addPerfNode } from '../src/extension/capture/perfDetails';
import { parseFromWebview, type DetailNode } from '../src/extension/capture/webviewMessages';

describe('capture editor: issue 14 additions', () => {
  it('takes the graphs command with or without a connection, and nothing else with a stream', () => {
    assert.deepEqual(parseFromWebview({ type: 'command', command: 'graphs' }), { type: 'command', command: 'graphs' });
    assert.deepEqual(parseFromWebview({ type: 'command', command: 'graphs', stream: 7 }), { type: 'command', command: 'graphs', stream: 7 });
    assert.equal(parseFromWebview({ type: 'command', command: 'graphs', stream: -1 }), null);
    assert.equal(parseFromWebview({ type: 'command', command: 'graphs', stream: '7' }), null);
    assert.equal(parseFromWebview({ type: 'command', command: 'flowGraph', stream: 7 }), null);
  });

  function tree(): DetailNode {
    return { name: 'frame', label: 'Frame', offset: 0, length: 60, explain: '', children: [{ name: 'ip', label: 'IP', offset: 14, length: 20, explain: '' }, { name: 'tcp', label: 'TCP', offset: 34, length: 20, explain: '', children: [] }] };
  }

  it('puts the RTT sample and bytes in flight under TCP', () => {
    const t = addPerfNode(tree(), { rttMs: 12.5, bytesInFlight: 0 }, formatEn);
    const tcp = t.children![1];
    assert.equal(tcp.children!.length, 1);
    assert.equal(tcp.children![0].label, '[RTT sample / bytes in flight: 12.500 ms / –]');
    assert.equal(tcp.children![0].length, 0);
    const u = addPerfNode(tree(), { rttMs: 0, bytesInFlight: 2896 }, formatEn);
    assert.equal(u.children![1].children![0].label, '[RTT sample / bytes in flight: – / 2896]');
  });

  it('adds nothing when the packet has neither', () => {
    assert.deepEqual(addPerfNode(tree(), { rttMs: 0, bytesInFlight: 0 }, formatEn), tree());
    assert.deepEqual(addPerfNode(tree(), undefined, formatEn), tree());
  });
});
