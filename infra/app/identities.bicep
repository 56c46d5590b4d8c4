// One user-assigned identity per stage, so each gets only the roles its own code needs (roles.bicep).
param location string
param tags object
param ingestIdentityName string
param workerIdentityName string

resource ingest 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: ingestIdentityName
  location: location
  tags: tags
}

resource worker 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: workerIdentityName
  location: location
  tags: tags
}

output ingestIdentityName string = ingest.name
output ingestPrincipalId string = ingest.properties.principalId
output workerIdentityName string = worker.name
output workerPrincipalId string = worker.properties.principalId
