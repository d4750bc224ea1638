import type { Subject } from '../diagnostics/subject.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { TransformContext } from './context.js';

export function truncateBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > max) break;
    out += ch;
    bytes += b;
  }
  return out;
}

export function checkedComment(ctx: TransformContext, comment: string | undefined, max: number, subject: string, span: SourceSpan | undefined, about: Subject): string | undefined {
  if (comment === undefined || comment === '') return undefined;
  const cut = truncateBytes(comment, max);
  if (cut !== comment) ctx.diagnostics.add('comment-too-long', { object: subject, max }, { span, subject: about });
  return cut;
}
