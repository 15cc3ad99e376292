import { ERROR_TYPE_CODES, shownErrorKey, storedErrorKey } from './error-key';

const sha = 'a'.repeat(64);

describe('error keys in Assemblyline form', () => {
  it("shows a stored key with Assemblyline's type code after its .e", () => {
    expect(shownErrorKey({ _id: `${sha}.Flaky.v1_0_0.cabc.SID1.e`, type: 'EXCEPTION' })).toBe(`${sha}.Flaky.v1_0_0.cabc.SID1.e1`);
    expect(shownErrorKey({ _id: `${sha}.Sandbox.unavailable.SID1.e`, type: 'SERVICE DOWN' })).toBe(`${sha}.Sandbox.unavailable.SID1.e21`);
    expect(shownErrorKey({ _id: `${sha}.Dispatcher.depth.SID1.e`, type: 'MAX DEPTH REACHED' })).toBe(`${sha}.Dispatcher.depth.SID1.e10`);
  });

  it("uses Assemblyline's codes (ERROR_TYPES in assemblyline-base)", () => {
    expect(ERROR_TYPE_CODES).toMatchObject({ UNKNOWN: 0, EXCEPTION: 1, 'MAX FILES REACHED': 11, 'SERVICE BUSY': 20, 'TASK PRE-EMPTED': 30 });
  });

  it('takes a shown key or a stored one back to the stored key', () => {
    expect(storedErrorKey(`${sha}.Flaky.v1.c1.SID1.e21`)).toBe(`${sha}.Flaky.v1.c1.SID1.e`);
    expect(storedErrorKey(`${sha}.Flaky.v1.c1.SID1.e`)).toBe(`${sha}.Flaky.v1.c1.SID1.e`);
    expect(storedErrorKey(`${sha}.Flaky.v1.c1`)).toBe(`${sha}.Flaky.v1.c1`);
  });
});
