// Event Grid system topic on the storage account; BlobCreated in `videos` goes to the OnVideoUploaded function
// (eventGridTrigger). Endpoint type AzureFunction resolves the function's system key itself: no key in infra.
param location string
param tags object
param systemTopicName string
param storageAccountName string
param functionAppName string

@description('The subscription validates its destination, so it can exist only once the function is deployed.')
param createSubscription bool

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource videosToIngest 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = if (createSubscription) {
  parent: systemTopic
  name: 'videos-to-ingest'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${functionApp.id}/functions/OnVideoUploaded'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/videos/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output systemTopicName string = systemTopic.name
