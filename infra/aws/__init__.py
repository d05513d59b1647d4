"""Deploy longrun to AWS with CloudFormation: package the job function, deploy, read outputs."""
