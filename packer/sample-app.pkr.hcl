# App image (layer 2): the app in /home/app-user, started by PM2 at boot. Named
# sample-app-packer-<app_version>-<timestamp>; the stacks find it by that name or through
# manifest.json. It starts from the newest Amazon Linux 2023 (and installs what the base
# image has itself) or, with base_image = "sample-app-base", from the newest base image.
#   npm run image:build                      (base_image = al2023)
#   npm run image:build -- --use-base        (base_image = sample-app-base)
build {
  name = "app"

  source "source.amazon-ebs.al2023" {
    name            = "app"
    ami_name        = "sample-app-packer-${var.app_version}-${local.name_timestamp}"
    ami_description = "sample-app ${var.app_version} (${var.git_commit}) on ${var.base_image}"

    source_ami_filter {
      filters = {
        name                = local.source_images[var.base_image].name
        architecture        = "x86_64"
        root-device-type    = "ebs"
        virtualization-type = "hvm"
      }
      owners      = local.source_images[var.base_image].owners
      most_recent = true
    }

    tags = merge(local.common_tags, {
      Name            = "sample-app-packer-${var.app_version}-${local.name_timestamp}"
      image_role      = "app"
      version         = var.app_version
      base_image      = var.base_image
      source_ami      = "{{ .SourceAMI }}"
      source_ami_name = "{{ .SourceAMIName }}"
    })
    snapshot_tags = merge(local.common_tags, { image_role = "app", version = var.app_version })
  }

  # Without a trailing slash the directory itself is uploaded: /tmp/app.
  provisioner "file" {
    source      = "${path.root}/../app"
    destination = "/tmp/"
  }

  provisioner "shell" {
    # On bare AL2023 the app image does the base image's work first; on the base image it only
    # copies the app.
    scripts = concat(
      var.base_image == "al2023" ? ["${path.root}/scripts/install-base.sh"] : [],
      ["${path.root}/scripts/install-app.sh"],
    )
    environment_vars = concat(local.provisioner_env, [
      "APP_VERSION=${var.app_version}",
      "APP_SOURCE_DIR=/tmp/app",
    ])
    execute_command = local.execute_command
  }

  post-processors {
    post-processor "manifest" {
      output     = local.manifest_path
      strip_path = true
      # packer/manifest.example.json shows the result; modules/image/packer-manifest.ts reads it.
      custom_data = {
        image_role  = "app"
        app_version = var.app_version
        git_commit  = var.git_commit
        build_time  = local.build_time
        base_image  = var.base_image
      }
    }
    post-processor "shell-local" {
      inline = ["node '${path.root}/scripts/require-imdsv2.mjs' '${local.manifest_path}'"]
    }
  }
}
