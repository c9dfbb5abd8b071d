#!/usr/bin/env bash
# Builds the five images with the SDK's container support (dotnet publish /t:PublishContainer)
# where the usual base image registry (mcr.microsoft.com) cannot be reached: it assembles a
# minimal base image from this machine's own Debian libraries and the SDK's ASP.NET Core runtime,
# serves it from a throw-away local registry (Debian's docker-registry), and lets the SDK build
# on top of it. Output: artifacts/images/<name>.tar, OCI image layouts (skopeo copy
# oci-archive:<file> docker://<registry>/<name>:<tag> pushes one). deploy/README.md "Container images".
#
# Where the base image's registry is reachable, this script is not needed:
#   dotnet publish <project> -c Release /t:PublishContainer -p:ContainerArchiveOutputPath=<file>
#
# Usage: deploy/images/build.sh [tag]      (default tag: dev)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
tag=${1:-dev}
out="$root/artifacts/images"
for tool in skopeo umoci docker-registry; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y skopeo umoci docker-registry" >&2; exit 1; }
done

work=$(mktemp -d /tmp/lettaplatform-images-XXXXXX)
registry_pid=
cleanup() { [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# --- base image: the .NET and ASP.NET Core shared runtimes of this SDK, and the libraries they load
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)
rootfs="$work/rootfs"
mkdir -p "$rootfs/usr/share/dotnet/shared" "$rootfs/usr/share/dotnet/host" "$rootfs/usr/bin" "$rootfs/etc/ssl" "$rootfs/tmp" "$rootfs/app"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host/fxr" "$rootfs/usr/share/dotnet/" && mv "$rootfs/usr/share/dotnet/fxr" "$rootfs/usr/share/dotnet/host/"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$rootfs/usr/share/dotnet/shared/"
ln -s ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
ssl=$(ls /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/x86_64-linux-gnu/libcrypto.so.3)
# OpenSSL is loaded at run time (dlopen), so ldd of the runtime does not name it.
for lib in $( { ldd "$dotnet_root/dotnet"; find "$rootfs/usr/share/dotnet" -name '*.so' -exec ldd {} \; ; ldd $ssl; } 2>/dev/null \
    | grep -o '/[^ :]*\.so[^ :]*' | sort -u) $ssl; do
  cp --parents -L "$lib" "$rootfs/"
done
cp -aL /etc/ssl/certs "$rootfs/etc/ssl/"
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654:app:/app:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\napp:x:1654:\n' > "$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"

umoci init --layout "$work/oci"
umoci new --image "$work/oci:base"
umoci unpack --image "$work/oci:base" "$work/bundle" >/dev/null
rm -rf "$work/bundle/rootfs" && mv "$rootfs" "$work/bundle/rootfs"
umoci repack --image "$work/oci:base" "$work/bundle"
umoci config --image "$work/oci:base" --architecture amd64 --os linux \
  --config.user 1654:1654 --config.workingdir /app --config.exposedports 8080/tcp \
  --config.env PATH=/usr/share/dotnet:/usr/bin:/bin --config.env DOTNET_ROOT=/usr/share/dotnet \
  --config.env ASPNETCORE_HTTP_PORTS=8080 --config.env DOTNET_RUNNING_IN_CONTAINER=true

# --- a registry on loopback for the SDK to read the base image from
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$work/registry" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done
base="127.0.0.1:$port/lettaplatform/aspnet:$runtime"
skopeo copy --quiet --dest-tls-verify=false "oci:$work/oci:base" "docker://$base"

# --- the images
mkdir -p "$out"
for pair in chat-api:services/Chat.Api agent-management-api:services/AgentManagement.Api \
            tool-execution-api:services/ToolExecution.Api memory-sync-api:services/MemorySync.Api gateway:gateway; do
  name=${pair%%:*}; project=${pair#*:}
  DOTNET_CONTAINER_INSECURE_REGISTRIES="127.0.0.1:$port" dotnet publish "$project" -c Release -t:PublishContainer \
    -p:ContainerBaseImage="$base" -p:ContainerRepository="lettaplatform/$name" -p:ContainerImageTag="$tag" \
    -p:ContainerArchiveOutputPath="$out/$name.tar"
done
ls -l "$out"
