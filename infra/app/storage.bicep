// The pipeline's data account: containers and queues of DESIGN §5 (EchoPipeline.Jobs.StorageNames) and the event
// dead-letters. The Functions host's storage and deployment package live apart (host-storage.bicep). Shared-key access
// is off: RBAC only.
param location string
param tags object
param storageAccountName string

var containerNames = [
  'videos'
  'frames'
  'audio'
  'scored'
  'jobs'
  'webhooks'
]
var queueNames = [
  'echo-jobs'
  'echo-jobs-poison'
]
// BlobCreated events Event Grid could not deliver to the ingest after its retries.
var deadLetterContainerName = 'events-deadletter'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in containerNames: {
  parent: blobService
  name: name
  properties: { publicAccess: 'None' }
}]

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deadLetterContainerName
  properties: { publicAccess: 'None' }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for name in queueNames: {
  parent: queueService
  name: name
}]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output deadLetterContainerName string = deadLetterContainer.name
