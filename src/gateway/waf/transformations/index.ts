/** The transformation registry: `t:` names (lowercased) to their functions. */
import { lowercase, uppercase } from './case.ts';
import { cmdLine } from './cmdline.ts';
import { removeComments, removeCommentsChar, replaceComments } from './comments.ts';
import { cssDecode } from './css.ts';
import { base64Decode, base64DecodeExt, base64Encode, hexDecode, hexEncode, sqlHexDecode } from './encoding.ts';
import { length, md5, sha1 } from './hash.ts';
import { htmlEntityDecode } from './html.ts';
import { escapeSeqDecode, jsDecode } from './js.ts';
import { normalizePath, normalizePathWin } from './path.ts';
import type { Transformation } from './types.ts';
import { urlDecode, urlDecodeUni, urlEncode } from './url.ts';
import { utf8toUnicode } from './utf8.ts';
import {
  compressWhitespace,
  removeNulls,
  removeWhitespace,
  replaceNulls,
  trim,
  trimLeft,
  trimRight,
} from './whitespace.ts';

export type { Transformation, TransformResult } from './types.ts';

export const transformations = {
  lowercase,
  uppercase,
  urldecode: urlDecode,
  urldecodeuni: urlDecodeUni,
  urlencode: urlEncode,
  htmlentitydecode: htmlEntityDecode,
  jsdecode: jsDecode,
  escapeseqdecode: escapeSeqDecode,
  cssdecode: cssDecode,
  utf8tounicode: utf8toUnicode,
  removewhitespace: removeWhitespace,
  compresswhitespace: compressWhitespace,
  trim,
  trimleft: trimLeft,
  trimright: trimRight,
  removenulls: removeNulls,
  replacenulls: replaceNulls,
  replacecomments: replaceComments,
  removecomments: removeComments,
  removecommentschar: removeCommentsChar,
  cmdline: cmdLine,
  normalizepath: normalizePath,
  normalisepath: normalizePath,
  normalizepathwin: normalizePathWin,
  normalisepathwin: normalizePathWin,
  base64decode: base64Decode,
  base64decodeext: base64DecodeExt,
  base64encode: base64Encode,
  hexencode: hexEncode,
  hexdecode: hexDecode,
  sqlhexdecode: sqlHexDecode,
  sha1,
  md5,
  length,
} satisfies Record<string, Transformation>;
