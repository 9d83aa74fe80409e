// The html template lives in domain/ (pure, shared with the published site); the dashboard's views import it here.
export * from '../../domain/html';
