# The Packer configuration is this directory: variables.pkr.hcl (this file), source.pkr.hcl
# (the one amazon-ebs source both images share), base.pkr.hcl (build "base") and
# sample-app.pkr.hcl (build "app"). Packer loads every *.pkr.hcl here, so each build is
# selected with -only: packer/build.sh does that (npm run image:build [-- --base]).
#
# Packer 1.9.4 compiles the amazon plugin in, so there is no required_plugins block: declaring
# one would make Packer look for an installed plugin (packer init), which needs the network.
packer {
  required_version = ">= 1.9.4"
}

variable "region" {
  type        = string
  description = "AWS region the build instance runs in and the AMI is registered in."
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "The region must be an AWS region name such as us-east-1."
  }
}

variable "ami_regions" {
  type        = list(string)
  description = "Further regions to copy the AMI to; the manifest then lists one region:ami pair per region."
  default     = []

  validation {
    # Packer 1.9.4 has no alltrue(): count the entries that do not match.
    condition     = length([for r in var.ami_regions : r if !can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", r))]) == 0
    error_message = "Each entry of ami_regions must be an AWS region name such as eu-west-1."
  }
}

variable "instance_type" {
  type        = string
  description = "Instance type of the temporary build instance (x86_64, like the AMIs it builds on)."
  default     = "t3.micro"
}

variable "subnet_id" {
  type        = string
  description = "Subnet for the build instance; empty: a default subnet of the default VPC. It needs a route to the internet (dnf, npm) and SSH from this machine."
  default     = ""
}

variable "kms_key_id" {
  type        = string
  description = "KMS key (id, alias or ARN) that encrypts the root volumes and the AMI snapshot; empty: the account's aws/ebs key."
  default     = ""
}

variable "root_volume_size_gb" {
  type        = number
  description = "Root volume size in GiB (the AL2023 image's own snapshot is 8 GiB)."
  default     = 8

  validation {
    condition     = var.root_volume_size_gb >= 8 && var.root_volume_size_gb <= 1024
    error_message = "The root_volume_size_gb must be from 8 to 1024."
  }
}

variable "nodejs_major" {
  type        = number
  description = "Node.js major version, installed from AL2023's own nodejs<major> packages. 20 reached end of life in April 2026; 22 is maintained to April 2027, 24 to April 2028."
  default     = 22

  validation {
    condition     = contains([20, 22, 24], var.nodejs_major)
    error_message = "The nodejs_major must be 20, 22 or 24 (the Node.js versions Amazon Linux 2023 packages)."
  }
}

variable "pm2_version" {
  type        = string
  description = "Exact PM2 version installed with npm (pinned: an image build must not pick up whatever is newest that day)."
  default     = "7.0.4"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.pm2_version))
    error_message = "The pm2_version must be an exact version such as 7.0.4, not a range or a tag."
  }
}

variable "app_version" {
  type        = string
  description = "Version of the app baked into the image: app/package.json's version (packer/build.sh passes it). Goes into the AMI name, tags and manifest; install-app.sh checks it against the package.json it installs."

  validation {
    # AMI names allow letters, digits, ( ) [ ] space . / - ' @ _ only, so no semver build metadata (+...).
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", var.app_version))
    error_message = "The app_version must be a semantic version such as 1.0.0 or 1.1.0-rc.1 (no +build metadata: AMI names do not allow +)."
  }
}

variable "git_commit" {
  type        = string
  description = "Commit the image is built from (git rev-parse HEAD; -dirty when app/ or packer/ had uncommitted changes). Goes into the tags and manifest."

  validation {
    condition     = can(regex("^[0-9a-f]{40}(-dirty)?$", var.git_commit))
    error_message = "The git_commit must be a full 40-character commit hash, optionally followed by -dirty."
  }
}

variable "base_image" {
  type        = string
  description = "What the app image starts from: al2023 (the newest Amazon Linux 2023, and the app image installs Node.js and PM2 itself) or sample-app-base (the newest sample-app-base-* AMI of this account, so a release only copies the app)."
  default     = "al2023"

  validation {
    condition     = contains(["al2023", "sample-app-base"], var.base_image)
    error_message = "The base_image must be al2023 or sample-app-base."
  }
}

locals {
  # One timestamp per run: the AMI name and the build_time tag and manifest entry agree.
  build_time = timestamp()
  # Sorts like the build time; AMI names must be unique per region and account.
  name_timestamp = formatdate("YYYYMMDDhhmmss", local.build_time)

  manifest_path = "${path.root}/manifest.json"

  source_images = {
    al2023 = {
      name   = "al2023-ami-2023.*-x86_64"
      owners = ["amazon"]
    }
    "sample-app-base" = {
      name   = "sample-app-base-*"
      owners = ["self"]
    }
  }

  # Shell provisioner settings both builds share. sudo: the scripts install packages and users.
  provisioner_env = [
    "NODEJS_MAJOR=${var.nodejs_major}",
    "PM2_VERSION=${var.pm2_version}",
  ]
  execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"

  common_tags = {
    app        = "sample-app"
    git_commit = var.git_commit
    build_time = local.build_time
    built_by   = "packer"
  }
}
