/** What `scripts/bench.js` hands every benchmark's `run()`. */
export interface BenchOptions {
  /** Operations per round (`--n=`); undefined means the benchmark's own default. */
  n?: number;
  /** Where the human-readable lines go; the runner passes stdout. */
  log: (line: string) => void;
}

/** One side of a comparison, reduced to its median throughput. */
export interface Figure {
  name: string;
  ops_per_s: number;
}

/** The runner prints this as the last line of stdout, as JSON, for scripts and CI to read. */
export interface BenchResult {
  bench: string;
  n: number;
  baseline: Figure;
  candidate: Figure;
  /** candidate / baseline, of the medians. Above 1 means the candidate is faster. */
  ratio: number;
  /** The lowest acceptable ratio. */
  target: number;
  meets_target: boolean;
  /** Every measured (non-warm-up) round, in ops/s, so a surprising median can be checked. */
  rounds: { baseline: number[]; candidate: number[] };
  /** The comparison's references, when it has any: measured in the same rounds, never judged. */
  references?: ReferenceFigure[];
}

/** A reference's median, its ratio to the baseline and the candidate's ratio to it, and its rounds. */
export interface ReferenceFigure extends Figure {
  /** reference / baseline, of the medians. */
  ratio: number;
  /** candidate / reference, of the medians: how far the candidate is from this reference. */
  candidate_ratio: number;
  rounds: number[];
}

/** The timed part of one round and the untimed clean-up after it. */
export interface PreparedRound {
  /** Does the n operations; the harness times exactly this call. */
  execute(): Promise<void>;
  /** Closes connections and removes what the round left behind; always called, never timed. */
  cleanup(): Promise<void>;
}

/** Something measured: the baseline or the candidate. */
export interface Contender {
  name: string;
  /** Sets up one round (connections, workers, fresh keys) outside the timed window. */
  prepare(n: number): Promise<PreparedRound>;
}

/** What a benchmark tells the harness about its comparison. */
export interface Comparison {
  bench: string;
  n: number;
  baseline: Contender;
  candidate: Contender;
  target: number;
  /**
   * More contenders measured in the same interleaved rounds and reported beside the result, never judged:
   * e.g. the least a server must do for the same work, which says how far the target is reachable at all.
   */
  references?: Contender[];
}
