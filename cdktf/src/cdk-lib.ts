// The one place that names the CDK for Terraform library. HashiCorp archived cdktf on
// 2025-12-10 and the community fork (cdktn) continues it: moving to the fork is this line
// (and the peer dependency in cdktf/package.json).
export * from 'cdktf';
