/** Test helpers of the collector for tests outside it: real cgroups made and removed by the test. */
export { killAndWait, realCgroupsUnavailable, sleep, TestCgroup } from './cgroup/testing.ts';
