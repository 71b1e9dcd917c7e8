#!/usr/bin/env bash
# Writes a CA and a serving certificate for the webhook's Service, for installs that manage certificates by hand
# (Tls:Mode=Files, Registration:Enabled=false). Prints the base64 caBundle for the MutatingWebhookConfiguration on
# standard output; everything else goes to standard error, so `CA_BUNDLE=$(certs/generate.sh ...)` works.
# Same shape as the server's SelfManaged mode: ECDSA P-256, SANs = the Service's four DNS names.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: certs/generate.sh [--service NAME] [--namespace NS] [--out DIR] [--days N] [--ca-days N]

Writes DIR/ca.crt, DIR/ca.key, DIR/tls.crt and DIR/tls.key (keys readable by the owner only), with the serving
certificate valid for NAME, NAME.NS, NAME.NS.svc and NAME.NS.svc.cluster.local, and prints the base64 caBundle.

  --service NAME    the webhook's Service (Tls:ServiceName)        default: pullsecret-webhook
  --namespace NS    the namespace the server runs in                default: pullsecret-webhook
  --out DIR         where to write the files (created if missing)   default: .
  --days N          validity of the serving certificate, in days    default: 365
  --ca-days N       validity of the CA, in days                     default: 3650
  -h, --help        this text

Then, for example:
  kubectl -n NS create secret generic pullsecret-webhook-tls --type=kubernetes.io/tls \
    --from-file=tls.crt=DIR/tls.crt --from-file=tls.key=DIR/tls.key --from-file=ca.crt=DIR/ca.crt
and put the printed value into the MutatingWebhookConfiguration's webhooks[0].clientConfig.caBundle.
Keep DIR/ca.key offline (or delete it): it is only needed to issue the next serving certificate.
USAGE
}

service=pullsecret-webhook
namespace=pullsecret-webhook
out=.
days=365
ca_days=3650

value() { # the value of an option, from "--opt=value" or the next argument
  if [ "$#" -lt 2 ] || [ -z "$2" ]; then echo "generate.sh: $1 needs a value" >&2; usage >&2; exit 2; fi
  printf '%s' "$2"
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --service) service=$(value "$@"); shift 2 ;;
    --service=*) service=${1#*=}; shift ;;
    --namespace) namespace=$(value "$@"); shift 2 ;;
    --namespace=*) namespace=${1#*=}; shift ;;
    --out) out=$(value "$@"); shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    --days) days=$(value "$@"); shift 2 ;;
    --days=*) days=${1#*=}; shift ;;
    --ca-days) ca_days=$(value "$@"); shift 2 ;;
    --ca-days=*) ca_days=${1#*=}; shift ;;
    *) echo "generate.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

dns_label='^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'
[[ "$service" =~ $dns_label ]] || { echo "generate.sh: --service '$service' is not a DNS-1123 label" >&2; exit 2; }
[[ "$namespace" =~ $dns_label ]] || { echo "generate.sh: --namespace '$namespace' is not a DNS-1123 label" >&2; exit 2; }
[[ "$days" =~ ^[1-9][0-9]*$ ]] || { echo "generate.sh: --days must be a positive number" >&2; exit 2; }
[[ "$ca_days" =~ ^[1-9][0-9]*$ ]] || { echo "generate.sh: --ca-days must be a positive number" >&2; exit 2; }
[ "$days" -le "$ca_days" ] || { echo "generate.sh: --days must not exceed --ca-days" >&2; exit 2; }
command -v openssl >/dev/null 2>&1 || { echo "generate.sh: openssl is required" >&2; exit 1; }

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077

names="DNS:${service},DNS:${service}.${namespace},DNS:${service}.${namespace}.svc,DNS:${service}.${namespace}.svc.cluster.local"

# The API server verifies with Go's crypto/x509: the CA needs CA:TRUE and keyCertSign, the leaf needs the SANs
# (the common name is ignored).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca.key" 2>/dev/null
openssl req -x509 -new -key "$work/ca.key" -sha256 -days "$ca_days" \
  -subj "/O=pullsecret-webhook/CN=pullsecret-webhook-ca" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" \
  -out "$work/ca.crt"

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/tls.key" 2>/dev/null
openssl req -new -key "$work/tls.key" -subj "/O=pullsecret-webhook/CN=${service}.${namespace}.svc" -out "$work/tls.csr"
cat >"$work/tls.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=${names}
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
  -set_serial "0x$(openssl rand -hex 15)" -days "$days" -sha256 -extfile "$work/tls.ext" -out "$work/tls.crt" 2>/dev/null

for file in ca.crt ca.key tls.crt tls.key; do
  cp "$work/$file" "$out/$file"
done
chmod 644 "$out/ca.crt" "$out/tls.crt"

echo "generate.sh: wrote $out/{ca.crt,ca.key,tls.crt,tls.key} for ${service}.${namespace}.svc; caBundle follows" >&2
base64 <"$out/ca.crt" | tr -d '\n'
echo
