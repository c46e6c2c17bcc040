// The ExchangeStatus document of GET /exchange, in the operator namespace
// urn:crm-bridge:exchange:v1 (xsd/exchange.xsd), never in the contract's.
// Writes the status it is given in the schema's order; reads nothing.
import type { ExchangeStatus, FileInProgress, LastFileError, WaitingFile } from '../domain/drop-folder.js';
import { elIn, newDocument, serialize, type XmlNode, type XmlParent } from '../xml/build.js';
import { NS } from '../xml/namespaces.js';

function x(parent: XmlParent, local: string, text?: string | number): XmlNode {
  return elIn(NS.exchange, parent, local, text);
}

export function exchangeStatusDocument(status: ExchangeStatus): Buffer {
  const doc = newDocument();
  const root = x(doc, 'ExchangeStatus');
  x(root, 'state', status.state);
  if (status.state === 'OFF') return serialize(doc);
  x(root, 'folder', status.folder);
  const processed = x(root, 'processed');
  x(processed, 'imported', status.files.imported);
  x(processed, 'failedRecords', status.files['failed-records']);
  x(processed, 'duplicate', status.files.duplicate);
  x(root, 'failed', status.files.unreadable);
  const inProgress = x(root, 'inProgress').att('count', String(status.inProgress.length));
  for (const file of status.inProgress) writeFileInProgress(inProgress, file);
  const inbox = x(root, 'inbox').att('count', String(status.inbox.count));
  for (const file of status.inbox.files) writeWaitingFile(inbox, file);
  if (status.lastError !== undefined) writeLastError(root, status.lastError);
  return serialize(doc);
}

function writeFileInProgress(parent: XmlNode, file: FileInProgress): void {
  const node = x(parent, 'file');
  x(node, 'name', file.name);
  x(node, 'claimedAt', file.claimedAt);
  x(node, 'host', file.host);
  x(node, 'pid', file.pid);
  x(node, 'phase', file.phase);
  x(node, 'recordsCommitted', file.recordsCommitted);
  if (file.bytesRead !== undefined) x(node, 'bytesRead', file.bytesRead);
  x(node, 'bytes', file.bytes);
}

function writeWaitingFile(parent: XmlNode, file: WaitingFile): void {
  const node = x(parent, 'file');
  x(node, 'name', file.name);
  x(node, 'bytes', file.bytes);
  x(node, 'modifiedAt', file.modifiedAt);
}

function writeLastError(parent: XmlNode, error: LastFileError): void {
  const node = x(parent, 'lastError');
  x(node, 'file', error.file);
  x(node, 'at', error.at);
  x(node, 'code', error.code);
  x(node, 'message', error.message);
}
