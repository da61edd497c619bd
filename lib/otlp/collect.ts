// Gathers decoded spans and per-span problems; turns "every span invalid" into a 400.
import { AppError } from "../errors";
import { currentLimits } from "./limits";
import type { DecodedSpan, DecodeResult } from "./types";
import { SpanProblem } from "./values";

const MAX_PROBLEMS = 5;

export class SpanCollector {
  readonly spans: DecodedSpan[] = [];
  rejected = 0;
  readonly problems: string[] = [];
  private overLimit = false;

  add(location: string, build: () => DecodedSpan): void {
    const max = currentLimits().maxSpansPerRequest;
    if (this.spans.length >= max) {
      this.rejected += 1;
      if (this.problems.length < MAX_PROBLEMS && !this.overLimit) this.problems.push(`${location} and later spans are over the limit of ${max} spans per request`);
      this.overLimit = true;
      return;
    }
    try {
      this.spans.push(build());
    } catch (error) {
      if (!(error instanceof SpanProblem)) throw error;
      this.rejected += 1;
      if (this.problems.length < MAX_PROBLEMS) this.problems.push(`${at(location, error.field)} ${error.message}`);
    }
  }

  result(): DecodeResult {
    if (this.rejected > 0 && this.spans.length === 0) {
      throw new AppError("bad_request", `No valid spans (${this.rejected} rejected): ${this.summary()}`);
    }
    return { spans: this.spans, rejected: this.rejected, problems: this.problems };
  }

  summary(): string {
    const more = this.rejected - this.problems.length;
    return this.problems.join("; ") + (more > 0 ? `; and ${more} more` : "");
  }
}

/** A problem in resource or scope data applies to the whole request. */
export function requestProblem(location: string, error: unknown): never {
  if (error instanceof SpanProblem) throw new AppError("bad_request", `Invalid request: ${at(location, error.field)} ${error.message}`);
  throw error;
}

function at(location: string, field: string): string {
  return field ? `${location}.${field}` : location;
}
