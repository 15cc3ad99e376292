// Threat Grid intake: archives opened and their members submitted one by one.
export { extractArchiveMembers, isArchiveType } from './archive-members';
export type { ArchiveMember, ArchiveMembers, ArchiveMembersInput } from './archive-members';
export { MAX_ARCHIVE_DEPTH, MAX_PROBLEMS } from './archive-fan-out';
export type { ArchiveExtractOptions } from './extract-service-for';
