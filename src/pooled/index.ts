/**
 * The pooled erasure engine: what the seam (src/tenancy) and the commands use. Everything
 * here takes a postgres.js handle and data (PooledDeclarations, a Classification, a plan);
 * nothing prints or prompts.
 *
 *   const cls = await classify(sql, decl);                       // profile check, every plan
 *   const plan = await planErase(sql, decl, cls, tenantId, { sharedRows });   // --dry-run / --json
 *   const result = await sql.begin((tx) => applyErase(tx, plan));  // + receipt in the same tx
 *   const scan = await postScan(sql, decl, cls, tenantId, result.erasedValues);
 */
export type { PooledDeclarations, ReferenceAction, PersonalDataColumn, PostStep } from './declarations.js';
export { classify, classifyCatalog, type Classification, type ClassifiedTable, type TableClass, type ClassificationProblem } from './classify.js';
export { planErase, SAMPLE_ROWS, type ErasePlan, type PlannedTable, type PlannedReference, type PlannedPersonalData } from './plan.js';
export type { EraseOptions, ReferenceRule } from './references.js';
export { applyErase, refusalText, type EraseResult, type EraseCounts } from './apply.js';
export { postScan, type PostScanResult, type ScanHit } from './post-scan.js';
export { keptPeopleNote, type KeptPeople } from './kept-people.js';
export { checkProfile, type ProfileCheck, type ProfileFinding } from './check.js';
export { tenantRowSets, type TenantRowSet } from './row-sets.js';
export { partyRowSets } from './party-rows.js';
export { linkChain, type OwnerLink } from './owners.js';
export { withRowSecurityOff, explainRowSecurity, ROLE_NEEDED } from './session.js';
export { IMSOP_DECLARATIONS } from './profiles/imsop.js';
export { ABPARTS_DECLARATIONS, ABPARTS_TOMBSTONE } from './profiles/abparts.js';
export { PROMETRIC_DECLARATIONS, NIL_UUID } from './profiles/prometric.js';
