import zlib from 'node:zlib';
import {
  PlainObject,
  isPlainObject,
  objectAt,
  stringAt,
} from '../kubernetes/objects';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

function startsWith(buffer: Buffer, magic: number[]): boolean {
  return magic.every((byte, index) => buffer[index] === byte);
}

/**
 * `status.compressedNodes`: base64 of the JSON node map, compressed with gzip (the default),
 * zstd or brotli, told apart by their magic bytes as Argo's `DecompressContent` does.
 */
function decompressNodes(encoded: string): PlainObject {
  try {
    const compressed = Buffer.from(encoded, 'base64');
    let json: Buffer;
    if (startsWith(compressed, GZIP_MAGIC)) {
      json = zlib.gunzipSync(compressed);
    } else if (startsWith(compressed, ZSTD_MAGIC)) {
      json = zlib.zstdDecompressSync(compressed);
    } else {
      json = zlib.brotliDecompressSync(compressed);
    }
    return objectAt(JSON.parse(json.toString('utf8')));
  } catch {
    return {};
  }
}

/** The raw node map of a workflow, id → node status. */
export interface WorkflowNodeMap {
  nodes: Record<string, PlainObject>;
  /** The controller keeps the nodes in its database instead (node status offloading). */
  offloaded: boolean;
}

/**
 * `status.nodes`, or the decompressed `status.compressedNodes` when the controller compressed
 * them. An unreadable compressed map reads as no nodes. Offloaded nodes cannot be read from
 * Kubernetes at all; `offloaded` says so.
 */
export function readNodeMap(status: PlainObject): WorkflowNodeMap {
  let raw = objectAt(status.nodes);
  const compressed = stringAt(status.compressedNodes);
  if (Object.keys(raw).length === 0 && compressed) {
    raw = decompressNodes(compressed);
  }
  const nodes: Record<string, PlainObject> = {};
  for (const [id, node] of Object.entries(raw)) {
    if (isPlainObject(node)) {
      nodes[id] = node;
    }
  }
  return {
    nodes,
    offloaded:
      Object.keys(nodes).length === 0 &&
      stringAt(status.offloadNodeStatusVersion) !== undefined,
  };
}
