// The watermark key's secret (docs/provenance.md) in Key Vault, read by the worker (which marks) and the ingest app
// (VerifyAudio) through their managed identities: RBAC authorization, no access policies, nothing in outputs.
param location string
param tags object
param keyVaultName string

@secure()
@description('The watermark secret (>= 16 characters); empty leaves the secret as it is in the vault (set it with az keyvault secret set).')
param watermarkSecret string = ''

// The secret names the apps reference (functions.bicep, worker.bicep).
var watermarkSecretName = 'echo-watermark'
var previousWatermarkSecretName = 'echo-watermark-previous'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Written only when a value is given, so a later provision without it keeps the versions already in the vault.
resource watermark 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(watermarkSecret)) {
  parent: vault
  name: watermarkSecretName
  properties: {
    value: watermarkSecret
    contentType: 'EchoPipeline watermark secret (echo-wm/1)'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
output watermarkSecretName string = watermarkSecretName
output previousWatermarkSecretName string = previousWatermarkSecretName
