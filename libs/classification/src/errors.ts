/**
 * The classification definition breaks a rule. Assemblyline only logs these and falls back to an
 * "invalid mode" that denies everything; Hopper refuses to start instead, naming every bad entry.
 */
export class InvalidDefinition extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid classification definition:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'InvalidDefinition';
  }
}

/** A classification string (or a pair of them) that the definition cannot parse or combine. */
export class InvalidClassification extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidClassification';
  }
}
