/**
 * Assemblyline's submit loop (`Ingester.handle_submit`): a queued task is taken only while fewer than
 * `max_inflight` submissions are being scanned.
 */
export function hasInflightRoom(inflight: number, maxInflight: number): boolean {
  return inflight < maxInflight;
}

/**
 * Assemblyline checks the drop rule a second time, as the task leaves the queue for dispatch, once the
 * submissions in flight reach 80% of `max_inflight`.
 */
export function dropCheckedAtSubmit(inflight: number, maxInflight: number): boolean {
  return inflight >= maxInflight * 0.8;
}
