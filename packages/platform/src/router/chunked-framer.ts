import { COLON, CR, FIELD_CHAR, HEX_VALUE, LF, TCHAR } from './http-syntax.js';

const SIZE = 0;
const EXT = 1;
const SIZE_LF = 2;
const DATA = 3;
const DATA_CR = 4;
const DATA_LF = 5;
const TRAILER_START = 6;
const TRAILER_NAME = 7;
const TRAILER_VALUE = 8;
const TRAILER_LF = 9;
const END_LF = 10;
const DONE = 11;
const FAILED = 12;

/** Longest chunk-size line (with extensions) and trailer section the framer accepts. */
const MAX_LINE = 4096;
const MAX_TRAILERS = 8192;
/** 13 hex digits stay below 2^53: a size that does not fit is refused, never wrapped. */
const MAX_SIZE_DIGITS = 13;

/**
 * Follows a chunked body (RFC 9112 §7.1) byte by byte to find where it ends, refusing anything
 * malformed: sizes that are not hex, whitespace or bare CR/LF in the size line, data not followed
 * by CRLF, malformed trailers. Bytes pass through unchanged; in `decode` mode the data ranges
 * are also reported, for a client that cannot read chunked framing (HTTP/1.0).
 */
export class ChunkedFramer {
  private state = SIZE;
  private remaining = 0;
  private digits = 0;
  private lineBytes = 0;
  private trailerBytes = 0;
  /** The first chunk-size line was complete and well-formed. */
  started = false;
  /** Filled in decode mode: [start, end) pairs of data bytes in the last fed buffer. */
  readonly data: number[] | null;
  error = '';

  constructor(decode = false) {
    this.data = decode ? [] : null;
  }

  get done(): boolean {
    return this.state === DONE;
  }

  /**
   * Consumes `buf[start, end)`. Returns the index just after the body's last byte when the body
   * ends inside this buffer, `end` when it needs more, or -1 when the framing is invalid.
   */
  feed(buf: Uint8Array, start: number, end: number): number {
    if (this.data) this.data.length = 0;
    let i = start;
    while (i < end) {
      const state = this.state;
      if (state === DATA) {
        const take = Math.min(this.remaining, end - i);
        if (this.data) this.data.push(i, i + take);
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = DATA_CR;
        continue;
      }
      if (!this.step(buf[i] as number)) return -1;
      i++;
      if (this.state === DONE) return i;
    }
    return end;
  }

  private fail(reason: string): boolean {
    this.state = FAILED;
    this.error = reason;
    return false;
  }

  /** One byte outside chunk data. */
  private step(b: number): boolean {
    switch (this.state) {
      case SIZE:
        return this.sizeByte(b);
      case EXT:
        if (++this.lineBytes > MAX_LINE) return this.fail('chunk extension too long');
        if (b === CR) this.state = SIZE_LF;
        else if (FIELD_CHAR[b] !== 1) return this.fail('invalid byte in a chunk extension');
        return true;
      case SIZE_LF:
        if (b !== LF) return this.fail('chunk size line not ended by CRLF');
        this.started = true;
        if (this.remaining === 0) this.state = TRAILER_START;
        else this.state = DATA;
        return true;
      case DATA_CR:
        this.state = DATA_LF;
        return b === CR || this.fail('chunk data not followed by CRLF');
      case DATA_LF:
        this.state = SIZE;
        this.digits = 0;
        this.lineBytes = 0;
        return b === LF || this.fail('chunk data not followed by CRLF');
      default:
        return this.trailerByte(b);
    }
  }

  private sizeByte(b: number): boolean {
    const hex = HEX_VALUE[b] as number;
    if (hex >= 0) {
      if (++this.digits > MAX_SIZE_DIGITS) return this.fail('chunk size too large');
      this.remaining = this.remaining * 16 + hex;
      return true;
    }
    if (this.digits === 0) return this.fail('chunk size is not a hex number');
    this.lineBytes = this.digits;
    if (b === CR) this.state = SIZE_LF;
    else if (b === 59) this.state = EXT;
    else return this.fail('invalid byte after a chunk size');
    return true;
  }

  private trailerByte(b: number): boolean {
    if (++this.trailerBytes > MAX_TRAILERS) return this.fail('trailers too large');
    switch (this.state) {
      case TRAILER_START:
        if (b === CR) this.state = END_LF;
        else if (TCHAR[b] === 1) this.state = TRAILER_NAME;
        else return this.fail('malformed trailer');
        return true;
      case TRAILER_NAME:
        if (b === COLON) this.state = TRAILER_VALUE;
        else if (TCHAR[b] !== 1) return this.fail('malformed trailer name');
        return true;
      case TRAILER_VALUE:
        if (b === CR) this.state = TRAILER_LF;
        else if (FIELD_CHAR[b] !== 1) return this.fail('invalid byte in a trailer');
        return true;
      case TRAILER_LF:
        this.state = TRAILER_START;
        return b === LF || this.fail('trailer not ended by CRLF');
      case END_LF:
        this.state = DONE;
        return b === LF || this.fail('chunked body not ended by CRLF');
      default:
        return this.fail('data after the end of a chunked body');
    }
  }
}
